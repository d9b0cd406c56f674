/* session.h: one talk as read from a notes file, the unit confsearch indexes
 * and serves.  Produced by the pad parser, turned into a Xapian document by
 * the indexer, and rebuilt from the stored JSON by searchd. */
#ifndef CS_SESSION_H
#define CS_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#define CS_MAX_SPEAKERS 16

typedef struct {
    char *id;         /* stable id (schema.h), set by cs_session_assign_id; may be NULL before */
    char *conference; /* "PyCon APAC 2015", or NULL when the file has no day header */
    int day;          /* day number from the day header, 0 when unknown */
    char date[11];    /* ISO "2015-06-05", or "" when unknown */
    char time[6];     /* "09:10" (always HH:MM), or "" for a whole-file document */
    char end_time[6]; /* end of a time range ("[14:30-15:00]"), or "" */
    char *room;       /* "R0", or NULL for a whole-file document */
    char *title;      /* plain text, never NULL */
    char *speaker;    /* the speaker group as written ("A & B"), or NULL */
    char *speakers[CS_MAX_SPEAKERS]; /* each speaker, trimmed */
    size_t n_speakers;
    char *body; /* the talk's text as written (Markdown stays Markdown), lines
                 * joined with '\n', never NULL */
    size_t body_len;
    char *text; /* body without its markup (what is indexed and snippeted), or
                 * NULL when body is plain text already */
    size_t text_len;
    char *link; /* where the talk's own notes are (a hub pad's link), or NULL */
    /* What an official programme gives (indexer/schedule.h); NULL otherwise. */
    char *track;       /* "Security" */
    char *language;    /* as the programme writes it ("en", "zh-tw") */
    char *abstract;    /* short summary; indexed as text, like description */
    char *description; /* the long text */
    char *url;         /* the talk's page in the official programme */
    char *source;      /* the file it came from, as given on the command line */
    unsigned line;     /* 1-based line of the talk header (1 for a whole-file document) */
    bool whole_file;   /* true when the file had no talk headers */
    bool programme;    /* read from an official programme (frab, iCalendar), not notes */
} cs_session_t;

/* Frees everything a session owns (not the struct itself). NULL is a no-op. */
void cs_session_clear(cs_session_t *s);

#endif /* CS_SESSION_H */
