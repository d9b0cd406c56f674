/* fuzz_schedule.c: bytes through the programme readers (frab JSON, frab
 * XML, iCalendar; indexer/schedule.h) as the indexer gives them: UTF-8
 * repaired, no NUL bytes.  The first byte picks a prefix that steers the
 * input to one reader, so all three get fuzzed from any corpus entry.  The
 * talks must hold to the session contract and survive the stored JSON. */
#include <string.h>

#include "fuzz.h"
#include "fuzz_session.h"
#include "notes_reader.h"
#include "schedule.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_session_init("fuzz_schedule");
    return 0;
}

static void check_text(const char *s)
{
    FUZZ_CHECK(!s || (*s && fuzz_utf8_valid(s, strlen(s))));
}

static void check_session(const cs_session_t *s)
{
    FUZZ_CHECK(s->title && *s->title && fuzz_utf8_valid(s->title, strlen(s->title)));
    FUZZ_CHECK(s->body && s->body_len == 0 && s->source);
    FUZZ_CHECK(s->n_speakers <= CS_MAX_SPEAKERS);
    for (size_t k = 0; k < s->n_speakers; k++)
        check_text(s->speakers[k]);
    check_text(s->speaker);
    check_text(s->room);
    check_text(s->conference);
    check_text(s->track);
    check_text(s->language);
    check_text(s->abstract);
    check_text(s->description);
    check_text(s->url);
    FUZZ_CHECK(!s->time[0] || (strlen(s->time) == 5 && s->time[2] == ':'));
    FUZZ_CHECK(!s->end_time[0] || (strlen(s->end_time) == 5 && s->time[0]));
    FUZZ_CHECK(!s->date[0] || strlen(s->date) == 10);
    FUZZ_CHECK(s->line >= 1 && s->day >= 0);
}

/* Input steering: byte 0 % 4 picks a prefix (or none). */
static const char *const prefixes[] = {
    "",
    "{\"schedule\":",
    "<schedule>",
    "BEGIN:VCALENDAR\r\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *prefix = prefixes[data[0] % 4];
    size_t plen = strlen(prefix);
    char *raw = malloc(plen + size);
    if (!raw)
        return 0;
    memcpy(raw, prefix, plen);
    memcpy(raw + plen, data + 1, size - 1);
    char *text = NULL;
    size_t len = 0, repairs = 0;
    unsigned first_line = 0;
    cs_status_t st = cs_utf8_repair(raw, plen + size - 1, &text, &len, &repairs, &first_line);
    free(raw);
    if (st != CS_OK)
        return 0;
    if (memchr(text, '\0', len)) { /* the reader refuses binary files */
        free(text);
        return 0;
    }
    size_t warnings = 0;
    cs_pad_t *pad = NULL;
    char *err = NULL;
    st = cs_schedule_parse(text, len, "fuzz.sched", fuzz_count_warning, &warnings, &pad, &err);
    if (st != CS_OK) {
        FUZZ_CHECK(!pad);
        FUZZ_CHECK(st != CS_ERR_FORMAT || (err && strncmp(err, "fuzz.sched", 10) == 0));
        free(err);
        free(text);
        return 0;
    }
    FUZZ_CHECK(!err);
    for (size_t i = 0; i < pad->n_sessions; i++) {
        cs_session_t *s = &pad->sessions[i];
        check_session(s);
        fuzz_check_stored_session(s);
    }
    cs_pad_free(pad);
    free(text);
    return 0;
}
