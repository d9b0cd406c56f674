/* fuzz_markdown.c: notes bytes read as Markdown, through everything that
 * reads Markdown: the block reader, the talk finder, the plain text that is
 * indexed, and the HTML the talk view shows (which must never carry markup
 * from the notes). */
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "fuzz.h"
#include "markdown_view.h"
#include "notes_reader.h"
#include "talk_find.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Every body is a copy of the source's lines from the talk's header on. */
static void check_sessions(const char *text, const cs_session_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(s[i].title && s[i].body && s[i].line >= 1);
        FUZZ_CHECK(fuzz_utf8_valid(s[i].title, strlen(s[i].title)));
        FUZZ_CHECK(fuzz_utf8_valid(s[i].body, s[i].body_len));
        FUZZ_CHECK(s[i].n_speakers <= CS_MAX_SPEAKERS);
        for (size_t k = 0; k < s[i].n_speakers; k++)
            FUZZ_CHECK(s[i].speakers[k] &&
                       fuzz_utf8_valid(s[i].speakers[k], strlen(s[i].speakers[k])));
        FUZZ_CHECK(!s[i].time[0] || strlen(s[i].time) == 5);
        FUZZ_CHECK(!s[i].end_time[0] || strlen(s[i].end_time) == 5);
        FUZZ_CHECK(!s[i].date[0] || strlen(s[i].date) == 10);
        if (i > 0)
            FUZZ_CHECK(s[i].line >= s[i - 1].line);
    }
    (void)text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0, repairs = 0;
    unsigned first_line = 0;
    if (cs_utf8_repair((const char *)data, size, &text, &len, &repairs, &first_line) != CS_OK)
        return 0;
    if (memchr(text, '\0', len)) {
        free(text);
        return 0;
    }
    cs_blocks_t *bl = NULL;
    FUZZ_CHECK(cs_blocks_read(text, len, true, &bl) == CS_OK);
    for (size_t i = 0; i < bl->n; i++)
        FUZZ_CHECK(bl->blocks[i].text &&
                   fuzz_utf8_valid(bl->blocks[i].text, strlen(bl->blocks[i].text)));
    cs_session_t *sessions = NULL;
    size_t n = 0;
    FUZZ_CHECK(cs_talk_find(text, len, "fuzz.md", bl, NULL, NULL, NULL, &sessions, &n) == CS_OK);
    check_sessions(text, sessions, n);
    for (size_t i = 0; i < n; i++)
        cs_session_clear(&sessions[i]);
    free(sessions);
    cs_blocks_free(bl);

    size_t plain_len = 0;
    char *plain = cs_markdown_plain_text(text, len, &plain_len);
    FUZZ_CHECK(plain && strlen(plain) == plain_len && fuzz_utf8_valid(plain, plain_len));
    free(plain);

    char *html = cs_markdown_view_html(text, len);
    FUZZ_CHECK(html && fuzz_utf8_valid(html, strlen(html)));
    /* Nothing of the notes reaches the page as markup. */
    FUZZ_CHECK(!strstr(html, "<script") && !strstr(html, "<img") && !strstr(html, "<iframe"));
    FUZZ_CHECK(!strstr(html, "href=\"javascript:"));
    free(html);
    free(text);
    return 0;
}
