/* fuzz_snippet.c: query words and talk text through the highlighter; the
 * HTML it makes must be escaped text and balanced <mark>s, nothing else.
 * Input: words to highlight, one per line (a trailing '*' makes a prefix),
 * then a NUL byte, then the text; the first byte sets the snippet length. */
#include <string.h>

#include "fuzz.h"
#include "markdown_view.h"
#include "snippet.h"

static cs_analyzer_t *analyzer;
static xc_stemmer_t *stemmer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *err = NULL;
    if (cs_analyzer_create(&analyzer, &err) != CS_OK ||
        xc_stemmer_create("english", &stemmer, &err) != XC_OK) {
        fprintf(stderr, "fuzz_snippet: %s\n", err ? err : "setup failed");
        abort();
    }
    return 0;
}

/* Characters a reader sees: markup dropped, an entity is one. */
static size_t visible_chars(const char *html)
{
    size_t n = 0;
    for (const char *p = html; *p;) {
        if (*p == '<') {
            p = strchr(p, '>') + 1;
            continue;
        }
        if (*p == '&')
            p = strchr(p, ';');
        n += ((unsigned char)*p & 0xc0) != 0x80;
        p++;
    }
    return n;
}

/* The next tag of html at or after *at other than <mark> and </mark> (its
 * start, *len its length), or NULL; *at moves past it. */
static const char *next_tag(const char **at, size_t *len)
{
    for (const char *p = strchr(*at, '<'); p; p = strchr(p + 1, '<')) {
        const char *gt = strchr(p, '>');
        if (!gt)
            return NULL;
        size_t n = (size_t)(gt - p) + 1;
        if ((n == 6 && memcmp(p, "<mark>", 6) == 0) || (n == 7 && memcmp(p, "</mark>", 7) == 0))
            continue;
        *at = gt + 1;
        *len = n;
        return p;
    }
    return NULL;
}

/* The talk view's marks in rendered Markdown: the same tags, attributes
 * included, in the same order, and no mark holds a tag. */
static void check_marked_html(cs_highlighter_t *h, const char *text, size_t len)
{
    char *html = cs_markdown_view_html(text, len);
    if (!html)
        return;
    char *marked = cs_highlighter_mark_html(h, html, strlen(html));
    FUZZ_CHECK(marked);
    const char *a = html, *b = marked;
    size_t la = 0, lb = 0;
    for (;;) {
        const char *ta = next_tag(&a, &la), *tb = next_tag(&b, &lb);
        FUZZ_CHECK((ta == NULL) == (tb == NULL));
        if (!ta)
            break;
        FUZZ_CHECK(la == lb && memcmp(ta, tb, la) == 0);
    }
    for (const char *m = strstr(marked, "<mark>"); m; m = strstr(m + 1, "<mark>")) {
        const char *end = strstr(m, "</mark>"), *lt = strchr(m + 6, '<');
        FUZZ_CHECK(end && lt == end);
    }
    free(marked);
    free(html);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max_chars = data[0];
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    const char *nul = memchr(in, '\0', len);
    const char *text = nul ? nul + 1 : in;
    size_t text_len = nul ? len - (size_t)(text - in) : len;
    cs_highlighter_t *h = NULL;
    FUZZ_CHECK(cs_highlighter_create(analyzer, stemmer, &h) == CS_OK);
    /* Query words reach the highlighter only after cs_query_parse checked
     * them, so give it valid UTF-8 only. */
    for (const char *at = in; nul && at < nul;) {
        const char *eol = memchr(at, '\n', (size_t)(nul - at));
        size_t n = eol ? (size_t)(eol - at) : (size_t)(nul - at);
        int prefix = n > 0 && at[n - 1] == '*';
        if (fuzz_utf8_valid(at, n - (size_t)prefix))
            cs_highlighter_add(h, at, n - (size_t)prefix, prefix);
        at += n + 1;
    }
    char *snippet = cs_highlighter_snippet(h, text, text_len, max_chars);
    fuzz_check_html(snippet);
    /* Escapes and marks aside, at most max_chars characters plus two "…". */
    if (snippet) {
        size_t chars = visible_chars(snippet);
        if (chars > max_chars + 2) {
            fprintf(stderr, "snippet of %zu characters, max_chars %zu: %s\n", chars, max_chars,
                    snippet);
            FUZZ_CHECK(chars <= max_chars + 2);
        }
    }
    free(snippet);
    char *all = cs_highlighter_mark_all(h, text, text_len);
    fuzz_check_html(all);
    free(all);
    if (fuzz_utf8_valid(text, text_len) && !memchr(text, '\0', text_len))
        check_marked_html(h, text, text_len);
    cs_highlighter_destroy(h);
    return 0;
}
