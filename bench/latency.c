/* latency.c: the benchmark's load client.  Sends the query mix written by
 * gen_corpus to confsearchd (HTTP, /api/search with facets and snippets)
 * or to Sphinx (SphinxQL: the same search with FACETs, SHOW META for the
 * total and CALL SNIPPETS on the hits), from N connections at once, and
 * prints latency percentiles per query and overall, and throughput.  One
 * client for both engines, so that neither is measured by a better tool.
 *
 * Bench traffic only ever goes to the address given, which run.sh keeps
 * on 127.0.0.1; every run is bounded by --rounds or --duration. */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef BENCH_WITH_SPHINXQL
#include <mysql.h>
#endif

#define MAX_QUERIES 64
#define MAX_THREADS 256

typedef struct {
    char label[64];
    char path[1024]; /* confsearch: /api/search?q=... */
    char match[512]; /* Sphinx: MATCH() text, "" for none */
    char where[256]; /* Sphinx: extra filter, "" for none */
} query_t;

typedef struct {
    double *ms;
    int *query;
    size_t n, cap;
    size_t errors;
} samples_t;

typedef enum { BACKEND_HTTP, BACKEND_SPHINXQL } backend_t;

static struct {
    backend_t backend;
    const char *base; /* http://127.0.0.1:PORT */
    char host[128];
    unsigned port;
    const char *index; /* Sphinx index name */
    query_t queries[MAX_QUERIES];
    int n_queries;
    int rounds;
    double duration;
    int verbose;
} cfg = {.rounds = 0, .duration = 0, .index = "talks"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void record(samples_t *s, int q, double ms)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->ms = realloc(s->ms, s->cap * sizeof *s->ms);
        s->query = realloc(s->query, s->cap * sizeof *s->query);
        if (!s->ms || !s->query) {
            perror("latency");
            exit(1);
        }
    }
    s->ms[s->n] = ms;
    s->query[s->n++] = q;
}

static int load_queries(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "latency: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[4096];
    while (fgets(line, sizeof line, f) && cfg.n_queries < MAX_QUERIES) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *cols[4] = {line, "", "", ""};
        for (int i = 1; i < 4; i++) {
            char *tab = strchr(cols[i - 1], '\t');
            if (!tab)
                break;
            *tab = '\0';
            cols[i] = tab + 1;
        }
        query_t *q = &cfg.queries[cfg.n_queries++];
        if (strlen(cols[0]) >= sizeof q->label || strlen(cols[1]) >= sizeof q->path ||
            strlen(cols[2]) >= sizeof q->match || strlen(cols[3]) >= sizeof q->where) {
            fprintf(stderr, "latency: %s: a query line is too long\n", path);
            fclose(f);
            return -1;
        }
        strcpy(q->label, cols[0]);
        strcpy(q->path, cols[1]);
        strcpy(q->match, cols[2]);
        strcpy(q->where, cols[3]);
    }
    fclose(f);
    return cfg.n_queries ? 0 : -1;
}

/* ---- HTTP (confsearchd) ---------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
} body_t;

static size_t collect_body(char *data, size_t size, size_t n, void *ctx)
{
    body_t *b = ctx;
    size_t add = size * n;
    if (b->len + add + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + add + 1)
            cap *= 2;
        char *p = realloc(b->buf, cap);
        if (!p)
            return 0;
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, data, add);
    b->len += add;
    b->buf[b->len] = '\0';
    return add;
}

typedef struct {
    CURL *curl;
    body_t body;
#ifdef BENCH_WITH_SPHINXQL
    MYSQL *sql;
#endif
    char *scratch;
    size_t scratch_cap;
} conn_t;

/* Runs query q once; *total gets the number of matching talks (or -1).
 * Returns 0 on success. */
static int http_run(conn_t *c, const query_t *q, long *total)
{
    char url[2048];
    snprintf(url, sizeof url, "%s%s", cfg.base, q->path);
    c->body.len = 0;
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    if (curl_easy_perform(c->curl) != CURLE_OK)
        return -1;
    long status = 0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200 || !c->body.buf)
        return -1;
    const char *t = strstr(c->body.buf, "\"total\":");
    *total = t ? strtol(t + 8, NULL, 10) : -1;
    return strstr(c->body.buf, "\"hits\":") ? 0 : -1;
}

/* ---- SphinxQL ------------------------------------------------------------------- */

#ifdef BENCH_WITH_SPHINXQL
/* Reads every result set of the last statement; the rows of the first are
 * kept in *first (caller frees) when first is not NULL. */
static int sql_drain(MYSQL *sql, MYSQL_RES **first)
{
    int status = 0, set = 0;
    do {
        MYSQL_RES *res = mysql_store_result(sql);
        if (!res && mysql_field_count(sql) != 0)
            return -1;
        if (set == 0 && first)
            *first = res;
        else if (res)
            mysql_free_result(res);
        set++;
    } while ((status = mysql_next_result(sql)) == 0);
    return status > 0 ? -1 : 0;
}

static void append(conn_t *c, size_t *at, const char *s, size_t n)
{
    if (*at + n + 1 > c->scratch_cap) {
        size_t cap = c->scratch_cap ? c->scratch_cap : 65536;
        while (cap < *at + n + 1)
            cap *= 2;
        c->scratch = realloc(c->scratch, cap);
        if (!c->scratch) {
            perror("latency");
            exit(1);
        }
        c->scratch_cap = cap;
    }
    memcpy(c->scratch + *at, s, n);
    *at += n;
    c->scratch[*at] = '\0';
}

static void append_quoted(conn_t *c, size_t *at, const char *s, size_t n)
{
    append(c, at, "'", 1);
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\'' || ch == '\\')
            append(c, at, "\\", 1);
        append(c, at, &ch, 1);
    }
    append(c, at, "'", 1);
}

static const char sphinx_facets[] = " FACET day ORDER BY COUNT(*) DESC"
                                    " FACET room ORDER BY COUNT(*) DESC"
                                    " FACET spk ORDER BY COUNT(*) DESC LIMIT 50";

/* What confsearchd does for one /api/search, in SphinxQL: the page of
 * hits with the facet counts, the total, a second pass for the facet that
 * a filter narrows (facets are disjunctive), and highlighted snippets of
 * the hits' bodies. */
static int sphinx_run(conn_t *c, const query_t *q, long *total)
{
    size_t at = 0;
    char head[1024];
    append(c, &at, "", 0);
    snprintf(head, sizeof head,
             "SELECT id, sid, title_s, speaker_s, day, date, time, room, body_s, WEIGHT() AS w "
             "FROM %s",
             cfg.index);
    append(c, &at, head, strlen(head));
    int has_match = q->match[0] != '\0';
    if (has_match || q->where[0]) {
        append(c, &at, " WHERE ", 7);
        if (has_match) {
            append(c, &at, "MATCH(", 6);
            append_quoted(c, &at, q->match, strlen(q->match));
            append(c, &at, ")", 1);
        }
        if (q->where[0]) {
            if (has_match)
                append(c, &at, " AND ", 5);
            append(c, &at, q->where, strlen(q->where));
        }
    }
    if (!has_match)
        append(c, &at, " ORDER BY ord ASC", 17);
    append(c, &at, " LIMIT 0,10 OPTION ranker=bm25, max_matches=1000",
           strlen(" LIMIT 0,10 OPTION ranker=bm25, max_matches=1000"));
    append(c, &at, sphinx_facets, strlen(sphinx_facets));
    if (mysql_real_query(c->sql, c->scratch, at) != 0)
        return -1;
    MYSQL_RES *hits = NULL;
    if (sql_drain(c->sql, &hits) != 0 || !hits)
        return -1;

    if (mysql_query(c->sql, "SHOW META LIKE 'total_found'") != 0) {
        mysql_free_result(hits);
        return -1;
    }
    MYSQL_RES *meta = mysql_store_result(c->sql);
    MYSQL_ROW row = meta ? mysql_fetch_row(meta) : NULL;
    *total = row && row[1] ? strtol(row[1], NULL, 10) : -1;
    if (meta)
        mysql_free_result(meta);

    if (q->where[0]) {
        at = 0;
        snprintf(head, sizeof head, "SELECT id FROM %s", cfg.index);
        append(c, &at, head, strlen(head));
        if (has_match) {
            append(c, &at, " WHERE MATCH(", 13);
            append_quoted(c, &at, q->match, strlen(q->match));
            append(c, &at, ")", 1);
        }
        static const char facet[] = " LIMIT 1 FACET room ORDER BY COUNT(*) DESC";
        append(c, &at, facet, strlen(facet));
        if (mysql_real_query(c->sql, c->scratch, at) != 0 || sql_drain(c->sql, NULL) != 0) {
            mysql_free_result(hits);
            return -1;
        }
    }

    int rc = 0;
    if (has_match && mysql_num_rows(hits) > 0) {
        at = 0;
        append(c, &at, "CALL SNIPPETS((", 15);
        unsigned long n = 0;
        mysql_data_seek(hits, 0);
        while ((row = mysql_fetch_row(hits))) {
            unsigned long *lengths = mysql_fetch_lengths(hits);
            if (n++)
                append(c, &at, ",", 1);
            append_quoted(c, &at, row[8] ? row[8] : "", row[8] ? lengths[8] : 0);
        }
        snprintf(head, sizeof head, "), '%s', ", cfg.index);
        append(c, &at, head, strlen(head));
        append_quoted(c, &at, q->match, strlen(q->match));
        static const char opts[] = ", 200 AS limit, '<mark>' AS before_match, "
                                   "'</mark>' AS after_match, 1 AS query_mode)";
        append(c, &at, opts, strlen(opts));
        rc = mysql_real_query(c->sql, c->scratch, at) != 0 || sql_drain(c->sql, NULL) != 0;
    }
    mysql_free_result(hits);
    return rc ? -1 : 0;
}
#endif

/* ---- connections and threads ----------------------------------------------------- */

static int conn_open(conn_t *c)
{
    memset(c, 0, sizeof *c);
    if (cfg.backend == BACKEND_HTTP) {
        c->curl = curl_easy_init();
        if (!c->curl)
            return -1;
        curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect_body);
        curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &c->body);
        curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
        return 0;
    }
#ifdef BENCH_WITH_SPHINXQL
    c->sql = mysql_init(NULL);
    if (!c->sql)
        return -1;
    /* A request that never completes must not hold the run forever. */
    unsigned int protocol = MYSQL_PROTOCOL_TCP, connect_s = 10, io_s = 30;
    mysql_options(c->sql, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_options(c->sql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
    mysql_options(c->sql, MYSQL_OPT_READ_TIMEOUT, &io_s);
    mysql_options(c->sql, MYSQL_OPT_WRITE_TIMEOUT, &io_s);
    if (!mysql_real_connect(c->sql, cfg.host, NULL, NULL, NULL, cfg.port, NULL,
                            CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS)) {
        fprintf(stderr, "latency: SphinxQL %s:%u: %s\n", cfg.host, cfg.port, mysql_error(c->sql));
        mysql_close(c->sql);
        c->sql = NULL;
        return -1;
    }
    return 0;
#else
    fputs("latency: built without libmariadb, no SphinxQL\n", stderr);
    return -1;
#endif
}

static void conn_close(conn_t *c)
{
    if (c->curl)
        curl_easy_cleanup(c->curl);
#ifdef BENCH_WITH_SPHINXQL
    if (c->sql)
        mysql_close(c->sql);
#endif
    free(c->body.buf);
    free(c->scratch);
}

static int run_query(conn_t *c, const query_t *q, long *total)
{
#ifdef BENCH_WITH_SPHINXQL
    if (cfg.backend == BACKEND_SPHINXQL)
        return sphinx_run(c, q, total);
#endif
    return http_run(c, q, total);
}

typedef struct {
    int index;
    samples_t samples;
    pthread_barrier_t *start;
} worker_t;

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    conn_t c;
    int ok = conn_open(&c) == 0;
    pthread_barrier_wait(w->start);
    if (!ok) {
        w->samples.errors++;
        return NULL;
    }
    /* The connection was opened before the barrier: that time is not the
     * run's. */
    double deadline = now() + cfg.duration;
    /* Threads start at different places of the mix, so the server sees a
     * blend at every moment, not every client on the same query. */
    for (long i = 0;; i++) {
        int q = (int)((i + w->index) % cfg.n_queries);
        if (cfg.rounds && i >= (long)cfg.rounds * cfg.n_queries)
            break;
        if (cfg.duration && now() >= deadline)
            break;
        long total;
        double t0 = now();
        int rc = run_query(&c, &cfg.queries[q], &total);
        double ms = (now() - t0) * 1e3;
        if (rc == 0) {
            record(&w->samples, q, ms);
        } else {
            w->samples.errors++;
            if (cfg.backend == BACKEND_SPHINXQL && cfg.verbose)
                fprintf(stderr, "latency: %s failed\n", cfg.queries[q].label);
        }
    }
    conn_close(&c);
    return NULL;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v. */
static double percentile(const double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
    return v[rank ? rank - 1 : 0];
}

static void report(const char *what, double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    printf("%s n=%zu mean=%.3f p50=%.3f p90=%.3f p99=%.3f max=%.3f\n", what, n,
           n ? sum / (double)n : NAN, percentile(v, n, 50), percentile(v, n, 90),
           percentile(v, n, 99), n ? v[n - 1] : NAN);
}

/* ---- modes ---------------------------------------------------------------------- */

static int run_load(int connections)
{
    pthread_t threads[MAX_THREADS];
    worker_t workers[MAX_THREADS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)connections + 1);
    for (int i = 0; i < connections; i++) {
        workers[i] = (worker_t){.index = i, .start = &start};
        if (pthread_create(&threads[i], NULL, worker_main, &workers[i]) != 0) {
            perror("latency: pthread_create");
            return 1;
        }
    }
    pthread_barrier_wait(&start);
    double t0 = now();
    for (int i = 0; i < connections; i++)
        pthread_join(threads[i], NULL);
    double elapsed = now() - t0;

    size_t total = 0, errors = 0;
    for (int i = 0; i < connections; i++) {
        total += workers[i].samples.n;
        errors += workers[i].samples.errors;
    }
    double *all = malloc((total + 1) * sizeof *all);
    double *per = malloc((total + 1) * sizeof *per);
    size_t at = 0;
    for (int i = 0; i < connections; i++)
        for (size_t k = 0; k < workers[i].samples.n; k++)
            all[at++] = workers[i].samples.ms[k];
    printf("connections=%d requests=%zu errors=%zu seconds=%.3f qps=%.1f\n", connections, total,
           errors, elapsed, (double)total / elapsed);
    report("all", all, total);
    for (int q = 0; q < cfg.n_queries; q++) {
        size_t n = 0;
        for (int i = 0; i < connections; i++)
            for (size_t k = 0; k < workers[i].samples.n; k++)
                if (workers[i].samples.query[k] == q)
                    per[n++] = workers[i].samples.ms[k];
        char what[96];
        snprintf(what, sizeof what, "query %s", cfg.queries[q].label);
        report(what, per, n);
    }
    for (int i = 0; i < connections; i++) {
        free(workers[i].samples.ms);
        free(workers[i].samples.query);
    }
    free(all);
    free(per);
    pthread_barrier_destroy(&start);
    return errors ? 3 : 0;
}

/* Each query once: how many talks it matches, to compare the engines. */
static int run_totals(void)
{
    conn_t c;
    if (conn_open(&c) != 0)
        return 1;
    int rc = 0;
    for (int q = 0; q < cfg.n_queries; q++) {
        long total = -1;
        if (run_query(&c, &cfg.queries[q], &total) != 0)
            rc = 3;
        printf("total %s %ld\n", cfg.queries[q].label, total);
    }
    conn_close(&c);
    return rc;
}

/* Waits until the server answers (HTTP: /healthz says 200; SphinxQL: a
 * connection and SHOW STATUS), polling every millisecond, and prints the
 * wall-clock time in nanoseconds when it did, for run.sh to subtract the
 * start time from. */
static int run_wait(double timeout)
{
    double give_up = now() + timeout;
    while (now() < give_up) {
        int up = 0;
        if (cfg.backend == BACKEND_HTTP) {
            CURL *curl = curl_easy_init();
            char url[1024];
            snprintf(url, sizeof url, "%s/healthz", cfg.base);
            body_t body = {0};
            curl_easy_setopt(curl, CURLOPT_URL, url);
            curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
            curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
            curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 500L);
            long status = 0;
            if (curl_easy_perform(curl) == CURLE_OK)
                curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            up = status == 200;
            free(body.buf);
            curl_easy_cleanup(curl);
        } else {
#ifdef BENCH_WITH_SPHINXQL
            MYSQL *sql = mysql_init(NULL);
            unsigned int protocol = MYSQL_PROTOCOL_TCP, t = 1;
            mysql_options(sql, MYSQL_OPT_PROTOCOL, &protocol);
            mysql_options(sql, MYSQL_OPT_CONNECT_TIMEOUT, &t);
            if (mysql_real_connect(sql, cfg.host, NULL, NULL, NULL, cfg.port, NULL, 0) &&
                mysql_query(sql, "SHOW STATUS") == 0) {
                MYSQL_RES *res = mysql_store_result(sql);
                if (res)
                    mysql_free_result(res);
                up = 1;
            }
            mysql_close(sql);
#endif
        }
        if (up) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            printf("up_ns=%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
            return 0;
        }
        usleep(1000);
    }
    fputs("latency: the server did not come up in time\n", stderr);
    return 1;
}

static const char usage_text[] =
    "usage: latency (--http URL | --sphinxql HOST:PORT [--index NAME]) [mode] [options]\n"
    "\n"
    "  --http URL          confsearchd's base URL, e.g. http://127.0.0.1:18080\n"
    "  --sphinxql H:P      Sphinx searchd's SphinxQL listener\n"
    "  --index NAME        the Sphinx index (default talks)\n"
    "  --queries FILE      the query mix (gen_corpus --queries)\n"
    "modes (default: load):\n"
    "  --totals            run each query once and print how many talks it matched\n"
    "  --wait SECONDS      wait until the server answers; print the time it did\n"
    "load options:\n"
    "  -c, --connections N concurrent connections, one thread each (default 1)\n"
    "  -r, --rounds R      each connection runs the whole mix R times\n"
    "  -d, --duration S    or: run for S seconds\n";

int main(int argc, char **argv)
{
    static const struct option options[] = {{"http", required_argument, NULL, 'H'},
                                            {"sphinxql", required_argument, NULL, 'S'},
                                            {"index", required_argument, NULL, 'i'},
                                            {"queries", required_argument, NULL, 'q'},
                                            {"totals", no_argument, NULL, 't'},
                                            {"wait", required_argument, NULL, 'w'},
                                            {"connections", required_argument, NULL, 'c'},
                                            {"rounds", required_argument, NULL, 'r'},
                                            {"duration", required_argument, NULL, 'd'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *queries = NULL;
    int connections = 1, totals = 0, have_backend = 0;
    double wait = 0;
    int c;
    while ((c = getopt_long(argc, argv, "c:r:d:h", options, NULL)) != -1) {
        switch (c) {
        case 'H':
            cfg.backend = BACKEND_HTTP;
            cfg.base = optarg;
            have_backend = 1;
            break;
        case 'S': {
            const char *colon = strrchr(optarg, ':');
            if (!colon || (size_t)(colon - optarg) >= sizeof cfg.host) {
                fputs(usage_text, stderr);
                return 2;
            }
            memcpy(cfg.host, optarg, (size_t)(colon - optarg));
            cfg.port = (unsigned)atoi(colon + 1);
            cfg.backend = BACKEND_SPHINXQL;
            have_backend = 1;
            break;
        }
        case 'i': cfg.index = optarg; break;
        case 'q': queries = optarg; break;
        case 't': totals = 1; break;
        case 'w': wait = atof(optarg); break;
        case 'c': connections = atoi(optarg); break;
        case 'r': cfg.rounds = atoi(optarg); break;
        case 'd': cfg.duration = atof(optarg); break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (!have_backend || connections < 1 || connections > MAX_THREADS) {
        fputs(usage_text, stderr);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
#ifdef BENCH_WITH_SPHINXQL
    mysql_library_init(0, NULL, NULL);
#endif
    int rc;
    if (wait > 0) {
        rc = run_wait(wait);
    } else {
        if (!queries || load_queries(queries) != 0) {
            fputs("latency: --queries FILE with at least one query is required\n", stderr);
            return 2;
        }
        if (totals) {
            rc = run_totals();
        } else {
            if (!cfg.rounds && !cfg.duration)
                cfg.rounds = 10;
            rc = run_load(connections);
        }
    }
#ifdef BENCH_WITH_SPHINXQL
    mysql_library_end();
#endif
    curl_global_cleanup();
    return rc;
}
