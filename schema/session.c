/* session.c: releases what a session owns, whichever module filled it. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

void cs_session_clear(cs_session_t *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->conference);
    free(s->room);
    free(s->title);
    free(s->speaker);
    /* Every slot, not just n_speakers: a producer that failed half-way may
     * have stored a name before counting it, and unused slots are NULL. */
    for (size_t i = 0; i < CS_MAX_SPEAKERS; i++)
        free(s->speakers[i]);
    free(s->body);
    free(s->text);
    free(s->link);
    free(s->track);
    free(s->language);
    free(s->abstract);
    free(s->description);
    free(s->url);
    free(s->source);
    memset(s, 0, sizeof *s);
}
