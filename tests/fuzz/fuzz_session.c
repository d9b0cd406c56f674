/* fuzz_session.c: see fuzz_session.h. */
#include "fuzz_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "schema.h"
#include "session_doc.h"

static cs_doc_builder_t *builder;

void fuzz_session_init(const char *target)
{
    char *err = NULL;
    if (cs_doc_builder_create(NULL, &builder, &err) != CS_OK) {
        fprintf(stderr, "%s: %s\n", target, err ? err : "no document builder");
        abort();
    }
}

void fuzz_count_warning(const char *source, unsigned line, const char *message, void *ctx)
{
    FUZZ_CHECK(source && message && *message);
    (void)line;
    ++*(size_t *)ctx;
}

void fuzz_check_stored_session(cs_session_t *s)
{
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
