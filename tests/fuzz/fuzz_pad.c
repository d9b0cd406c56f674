/* fuzz_pad.c: notes bytes through everything the indexer does before Xapian
 * writes: UTF-8 repair, the pad parser, session ids, the stored JSON (and
 * back) and the document builder. */
#include <string.h>

#include "fuzz.h"
#include "notes_reader.h"
#include "pad_parse.h"
#include "schema.h"
#include "session_doc.h"

static cs_doc_builder_t *builder;

static void count_warning(const char *source, unsigned line, const char *message, void *ctx)
{
    FUZZ_CHECK(source && message && *message);
    (void)line;
    ++*(size_t *)ctx;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *err = NULL;
    if (cs_doc_builder_create(NULL, &builder, &err) != CS_OK) {
        fprintf(stderr, "fuzz_pad: %s\n", err ? err : "no document builder");
        abort();
    }
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
        cs_pad_parse(text, len, "fuzz.txt", count_warning, &warnings, &pad) != CS_OK) {
        free(text);
        return 0;
    }
    for (size_t i = 0; i < pad->n_sessions; i++) {
        cs_session_t *s = &pad->sessions[i];
        check_session(s);
        char id[CS_MAX_ID_BYTES];
        cs_schema_session_id(s, id);
        FUZZ_CHECK(strlen(id) > 0 && strlen(id) < CS_MAX_ID_BYTES);
        FUZZ_CHECK(strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
                   strlen(id));
        free(s->id);
        s->id = strdup(id);
        /* What the index stores must read back as the same talk. */
        char *json = cs_schema_session_to_json(s);
        FUZZ_CHECK(json);
        cs_session_t back;
        memset(&back, 0, sizeof back);
        FUZZ_CHECK(cs_schema_session_from_json(json, strlen(json), &back) == CS_OK);
        char *again = cs_schema_session_to_json(&back);
        FUZZ_CHECK(again && strcmp(json, again) == 0);
        free(again);
        cs_session_clear(&back);
        free(json);

        char *stored = NULL;
        xc_document_t *doc = NULL;
        if (cs_doc_builder_json(builder, s, &stored) == CS_OK &&
            cs_doc_builder_build(builder, s, stored, &doc) == CS_OK)
            FUZZ_CHECK(doc);
        xc_document_destroy(doc);
        free(stored);
    }
    cs_pad_free(pad);
    free(text);
    return 0;
}
