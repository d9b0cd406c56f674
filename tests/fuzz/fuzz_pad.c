/* fuzz_pad.c: notes bytes through everything the indexer does before Xapian
 * writes: UTF-8 repair, the pad parser, session ids, the stored JSON (and
 * back) and the document builder. */
#include <string.h>

#include "fuzz.h"
#include "fuzz_session.h"
#include "notes_reader.h"
#include "pad_parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_session_init("fuzz_pad");
    return 0;
}

static void check_session(const cs_session_t *s)
{
    FUZZ_CHECK(s->title && s->body && s->source);
    FUZZ_CHECK(strlen(s->body) == s->body_len);
    FUZZ_CHECK(fuzz_utf8_valid(s->title, strlen(s->title)));
    FUZZ_CHECK(fuzz_utf8_valid(s->body, s->body_len));
    FUZZ_CHECK(s->n_speakers <= CS_MAX_SPEAKERS);
    for (size_t k = 0; k < s->n_speakers; k++)
        FUZZ_CHECK(s->speakers[k] && fuzz_utf8_valid(s->speakers[k], strlen(s->speakers[k])));
    FUZZ_CHECK(!s->room || fuzz_utf8_valid(s->room, strlen(s->room)));
    FUZZ_CHECK(!s->time[0] || strlen(s->time) == 5);
    FUZZ_CHECK(!s->date[0] || strlen(s->date) == 10);
    FUZZ_CHECK(s->line >= 1);
}

/* The batched parse (what the indexer runs) must give the whole parse's
 * talks, in order. */
typedef struct {
    const cs_pad_t *whole;
    size_t seen;
} batch_check_t;

static cs_status_t compare_batch(cs_pad_t *batch, void *ctx)
{
    batch_check_t *c = ctx;
    FUZZ_CHECK(batch->n_sessions > 0 && batch->n_sessions <= CS_PAD_BATCH_TALKS);
    for (size_t i = 0; i < batch->n_sessions; i++, c->seen++) {
        FUZZ_CHECK(c->seen < c->whole->n_sessions);
        const cs_session_t *a = &batch->sessions[i], *b = &c->whole->sessions[c->seen];
        FUZZ_CHECK(a->line == b->line && strcmp(a->title, b->title) == 0 &&
                   a->body_len == b->body_len && memcmp(a->body, b->body, a->body_len) == 0 &&
                   strcmp(a->date, b->date) == 0 && a->whole_file == b->whole_file);
    }
    return CS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0, repairs = 0;
    unsigned first_line = 0;
    if (cs_utf8_repair((const char *)data, size, &text, &len, &repairs, &first_line) != CS_OK)
        return 0;
    FUZZ_CHECK(text[len] == '\0' && fuzz_utf8_valid(text, len));
    FUZZ_CHECK(repairs == 0 || first_line >= 1);
    /* The parser's contract is valid UTF-8 without NULs (the reader refuses
     * binary files): give it what the reader would. */
    size_t warnings = 0;
    cs_pad_t *pad = NULL;
    if (memchr(text, '\0', len) ||
        cs_pad_parse(text, len, "fuzz.txt", fuzz_count_warning, &warnings, &pad) != CS_OK) {
        free(text);
        return 0;
    }
    for (size_t i = 0; i < pad->n_sessions; i++) {
        cs_session_t *s = &pad->sessions[i];
        check_session(s);
        fuzz_check_stored_session(s);
    }
    batch_check_t c = {pad, 0};
    FUZZ_CHECK(cs_pad_parse_batched(text, len, "fuzz.txt", NULL, NULL, compare_batch, &c) == CS_OK);
    FUZZ_CHECK(c.seen == pad->n_sessions);
    cs_pad_free(pad);
    free(text);
    return 0;
}
