/* snippet_bench.c: the cost of one hit's snippet on very large talks (issue
 * 13's bounded cost).  For each case it times cs_highlighter_snippet and,
 * as the baseline in the same run, cs_highlighter_mark_all of the whole
 * body (analysis and matching of all of it: what every snippet cost before
 * snippets analysed pieces), and prints the
 * bytes analysed and the process' resident memory before, after the
 * snippets and after the whole-body analysis.  The cases run in this order
 * so the snippets' memory is seen before a whole-body analysis grew it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snippet.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* unit repeated to len bytes (cut at a unit boundary) */
static char *repeat(const char *unit, size_t len, size_t *out_len)
{
    size_t u = strlen(unit), n = len / u * u;
    char *t = malloc(n + 1);
    if (!t)
        exit(1);
    for (size_t i = 0; i < n; i += u)
        memcpy(t + i, unit, u);
    t[n] = '\0';
    *out_len = n;
    return t;
}

static void run_case(cs_analyzer_t *an, xc_stemmer_t *st, const char *name, const char *unit,
                     size_t bytes, int talks, const char *query)
{
    size_t len;
    char *text = repeat(unit, bytes, &len);
    long rss0 = rss_kb();
    cs_highlighter_t *h;
    if (cs_highlighter_create(an, st, &h) != CS_OK ||
        cs_highlighter_add(h, query, strlen(query), 0) != CS_OK)
        exit(1);
    double t0 = now();
    for (int i = 0; i < talks; i++)
        free(cs_highlighter_snippet(h, text, len, 200));
    double snip = (now() - t0) / talks;
    long rss_snip = rss_kb();
    t0 = now();
    for (int i = 0; i < talks; i++)
        free(cs_highlighter_mark_all(h, text, len));
    double base = (now() - t0) / talks;
    printf("%-28s q=%-10s %6.2f MB x%-3d whole-body %8.2f ms  snippet %7.3f ms  "
           "ratio %7.4f  analysed %7zu B  rss kB: start %ld, after snippets %ld, after whole body "
           "%ld\n",
           name, query, len / 1e6, talks, base * 1e3, snip * 1e3, snip / base,
           cs_highlighter_analysed(h), rss0, rss_snip, rss_kb());
    cs_highlighter_destroy(h);
    free(text);
}

int main(void)
{
    cs_analyzer_t *an;
    xc_stemmer_t *st;
    char *err = NULL;
    if (cs_analyzer_create(&an, &err) != CS_OK ||
        xc_stemmer_create("english", &st, &err) != XC_OK) {
        fprintf(stderr, "snippet_bench: %s\n", err ? err : "setup failed");
        return 1;
    }
    static const char log[] =
        "2024-05-01T10:00:01Z worker-3 INFO request handled path=/api/v1/items status=200 ms=12\n";
    static const char han[] = "我們在會議上討論了搜尋引擎的索引格式與查詢效能，測試結果很好。";
    run_case(an, st, "21 MB talk, log lines", log, 21u << 20, 1, "worker");
    run_case(an, st, "21 MB talk, log lines", log, 21u << 20, 1, "zebra");
    run_case(an, st, "50 talks of 1 MB logs", log, 1u << 20, 50, "request");
    run_case(an, st, "50 talks of 1 MB logs", log, 1u << 20, 50, "zebra");
    run_case(an, st, "3.8 MB of Han", han, 3800000, 1, "索引");
    run_case(an, st, "3.8 MB of Han", han, 3800000, 1, "斑馬");
    xc_stemmer_destroy(st);
    cs_analyzer_destroy(an);
    return 0;
}
