/* main.c: the confsearch-index command: notes files in, one atomic commit out. */
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_id.h"
#include "index_writer.h"
#include "join.h"
#include "notes_reader.h"
#include "pad_parse.h"
#include "schema.h"
#include "schedule.h"
#include "xapian-c.h"

/* Exit codes, documented in --help and the README. */
enum {
    EXIT_OK = 0,
    EXIT_SOME_FILES_FAILED = 1,
    EXIT_USAGE = 2,
    EXIT_LOCKED = 3,
    EXIT_INDEX_ERROR = 4,
    EXIT_VERSION = 5
};

static const char usage_text[] =
    "usage: confsearch-index --db DIR [options] FILE...\n"
    "\n"
    "Indexes the talks in conference notes FILEs into the Xapian database DIR\n"
    "(created when missing).  Re-running after notes changed updates only what\n"
    "changed: a file whose bytes are as when it was last indexed (by this same\n"
    "indexer build) is not parsed again, edited talks are replaced, talks gone\n"
    "from a file are deleted, all in one atomic commit.\n"
    "\n"
    "options:\n"
    "  -d, --db DIR       the index to write (required)\n"
    "  -j, --jobs N       threads for a first build (default: one per core;\n"
    "                     re-indexing an index with documents uses one)\n"
    "      --rescan       parse every FILE, even those unchanged since they were\n"
    "                     indexed (talks that did not change are still kept)\n"
    "      --explain      write no index: print, per FILE, the talks it would make\n"
    "                     (line, day/date, time, room, title, speakers) and the\n"
    "                     lines taken as context or metadata (docs/formats.md)\n"
    "      --follow-symlinks\n"
    "                     read a FILE that is a symbolic link; without it such a\n"
    "                     FILE is refused and counted failed (the index is served:\n"
    "                     a link in the notes would publish what it points to)\n"
    "      --prune        also remove from the index the talks of every indexed\n"
    "                     file that no longer exists (files are never removed\n"
    "                     otherwise); FILEs may then be left out\n"
    "  -q, --quiet        no warnings, no progress, no summary\n"
    "      --no-progress  no progress bar even on a terminal\n"
    "  -h, --help         this help\n"
    "  -V, --version      version\n"
    "\n"
    "exit codes:\n"
    "  0  every file indexed\n"
    "  1  some files could not be read or were refused: not regular files, or\n"
    "     symbolic links without --follow-symlinks (the others were committed)\n"
    "  2  usage error\n"
    "  3  the index is locked by another indexer\n"
    "  4  the index could not be opened, written or committed (the previous one is intact)\n"
    "  5  the index has an unknown format version\n";

typedef struct {
    int quiet;
    int progress;
    int showing; /* a progress line is on the terminal */
    int rescan;
    unsigned notes_flags; /* CS_NOTES_* for every file read */
    size_t warnings;
    /* What the summary tells. */
    int indexed, failed, no_talks;
    size_t sessions, bytes;
    /* Messages about the files said so far, and how many of the next ones
     * to keep back: a run started again on a copy of the index meets the
     * same files in the same order, and does not say it all twice. */
    size_t said, mute;
} run_t;

/* Says "confsearch-index: " and the message on stderr: every message about
 * the run's files goes through here. */
__attribute__((format(printf, 2, 3))) static void say(run_t *run, const char *fmt, ...)
{
    if (run->mute) {
        run->mute--;
        return;
    }
    run->said++;
    if (run->showing)
        fputs("\r\033[K", stderr);
    fputs("confsearch-index: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void warn_cb(const char *source, unsigned line, const char *message, void *ctx)
{
    run_t *run = ctx;
    run->warnings++;
    if (run->quiet)
        return;
    if (line)
        say(run, "%s:%u: warning: %s", source, line, message);
    else
        say(run, "%s: warning: %s", source, message);
}

/* The writer's word on talks of several files that claim one id. */
static void notice_cb(const char *msg, void *ctx)
{
    run_t *run = ctx;
    if (!run->quiet)
        say(run, "%s", msg);
}

typedef struct {
    bool programme;
    char *key;
    char *path;
} keyed_path_t;

static int by_key(const void *a, const void *b)
{
    const keyed_path_t *x = a, *y = b;
    if (x->programme != y->programme)
        return x->programme ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Puts paths in the order of the id rule (schema/README.md, "Who owns an
 * id"): programmes first, then by source key.  Talks of several files
 * claiming one id are numbered in that order, so the index does not
 * depend on the order files are given in, nor on which runs gave them, and
 * a programme talk keeps its slot's id when notes join it.  False when out
 * of memory. */
static bool sort_by_source_key(char **paths, int n)
{
    keyed_path_t *k = calloc((size_t)n, sizeof *k);
    bool ok = n == 0 || k != NULL;
    for (int i = 0; ok && i < n; i++) {
        k[i].path = paths[i];
        k[i].programme = cs_schedule_sniff_file(paths[i]) != CS_SCHEDULE_NONE;
        ok = (k[i].key = cs_schema_source_term(paths[i])) != NULL;
    }
    if (ok) {
        if (n > 1)
            qsort(k, (size_t)n, sizeof *k, by_key);
        for (int i = 0; i < n; i++)
            paths[i] = k[i].path;
    }
    for (int i = 0; k && i < n; i++)
        free(k[i].key);
    free(k);
    return ok;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(size_t done, size_t total, size_t bytes, double elapsed)
{
    int width = 30, filled = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %3zu%% %zu/%zu files %.1f MB %.1f s", filled,
            "##############################", width - filled, "", total ? 100 * done / total : 100,
            done, total, (double)bytes / 1e6, elapsed);
    fflush(stderr);
}

/* Keeps path's talks unread when its bytes are those this build indexed
 * them from (*kept true).  Returns the writer's status. */
static cs_status_t keep_if_unchanged(cs_index_writer_t *writer, const char *path, run_t *run,
                                     bool *kept)
{
    cs_notes_digest_t known;
    bool usable = false;
    *kept = false;
    if (run->rescan)
        return CS_OK;
    cs_status_t st = cs_index_writer_file_digest(writer, path, &known, &usable);
    if (st != CS_OK || !usable || !cs_notes_unchanged(path, run->notes_flags, &known))
        return st;
    size_t talks = 0;
    st = cs_index_writer_keep_file(writer, path, &talks);
    if (st == CS_OK) {
        *kept = true;
        run->indexed++;
        run->sessions += talks;
        run->bytes += known.size;
    }
    return st;
}

/* Warns when path is not UTF-8: its talks are stored under the name with
 * U+FFFD for the bad bytes (cs_doc_builder_json), which is what a search
 * shows. */
static void warn_if_name_not_utf8(const char *path, run_t *run)
{
    char *shown = NULL, *msg = NULL;
    size_t len, repairs = 0;
    unsigned line;
    if (cs_utf8_repair(path, strlen(path), &shown, &len, &repairs, &line) == CS_OK && repairs)
        msg = cs_strdup_printf("file name is not valid UTF-8; stored as \"%s\"", shown);
    if (msg)
        warn_cb(path, 0, msg, run);
    free(msg);
    free(shown);
}

/* What a notes file's batches of talks tell the run as they go to the
 * writer. */
typedef struct {
    cs_index_writer_t *writer;
    size_t talks;
    bool whole_file;
} file_sink_t;

static cs_status_t to_writer(cs_pad_t *batch, void *ctx)
{
    file_sink_t *f = ctx;
    f->talks += batch->n_sessions;
    f->whole_file = batch->n_sessions == 1 && batch->sessions[0].whole_file;
    return cs_index_writer_add_talks(f->writer, batch);
}

/* Reads, parses and writes one file.  A notes file's talks go to the
 * writer in batches as the parser finds them, so memory does not grow
 * with the file.  A file that cannot be read is counted as failed and the
 * run goes on (CS_OK); other failures are the writer's, returned. */
static cs_status_t add_file(cs_index_writer_t *writer, const char *path, run_t *run)
{
    char *text = NULL, *errmsg = NULL;
    size_t len = 0;
    cs_notes_digest_t digest;
    cs_status_t st =
        cs_notes_read(path, run->notes_flags, warn_cb, run, &text, &len, &digest, &errmsg);
    if (st != CS_OK) {
        say(run, "%s", errmsg ? errmsg : cs_status_to_string(st));
        free(errmsg);
        run->failed++;
        return CS_OK;
    }
    warn_if_name_not_utf8(path, run);
    file_sink_t sink = {.writer = writer};
    if (cs_schedule_sniff(text, len) != CS_SCHEDULE_NONE) {
        /* A programme: a broken one is reported (naming file and line) and
         * counted as failed, like an unreadable file; its old talks stay. */
        cs_pad_t *pad = NULL;
        st = cs_schedule_parse(text, len, path, warn_cb, run, &pad, &errmsg);
        if (st == CS_ERR_FORMAT) {
            say(run, "%s", errmsg);
            free(errmsg);
            free(text);
            run->failed++;
            return CS_OK;
        }
        if (st == CS_OK)
            sink.talks = pad->n_sessions; /* the writer may take them */
        if (st == CS_OK)
            st = cs_index_writer_add_file_with_digest(writer, path, pad, &digest);
        cs_pad_free(pad);
    } else {
        st = cs_index_writer_begin_file(writer, path, &digest);
        if (st == CS_OK) {
            /* A parse that fails (out of memory) stops the run: nothing is
             * committed, so the file is not ended. */
            st = cs_pad_parse_batched(text, len, path, warn_cb, run, to_writer, &sink);
            if (st == CS_OK)
                st = cs_index_writer_end_file(writer);
        }
    }
    if (st == CS_OK && sink.talks == 0)
        warn_cb(path, 0, "no text, no talks indexed", run);
    if (st == CS_OK && sink.whole_file) {
        run->no_talks++;
        if (!run->quiet)
            say(run, "%s: no talks recognised; indexed as one document, see docs/formats.md", path);
    }
    if (st == CS_OK) {
        run->indexed++;
        run->sessions += sink.talks;
        run->bytes += len;
    }
    free(text);
    return st;
}

static void explain_cb(const char *source, unsigned line, const char *message, void *ctx)
{
    (void)source;
    (void)ctx;
    printf("  line %-5u %s\n", line, message);
}

/* --explain's last part when programmes were among the files: which
 * programme talk each notes talk joins and why (join.h). */
static int explain_join(cs_pad_t **pads, const bool *programme, int n)
{
    size_t n_prog = 0, n_notes = 0;
    for (int i = 0; i < n; i++)
        if (pads[i])
            *(programme[i] ? &n_prog : &n_notes) += pads[i]->n_sessions;
    if (!n_prog || !n_notes)
        return 0;
    const cs_session_t **prog = calloc(n_prog, sizeof *prog);
    const cs_session_t **notes = calloc(n_notes + 1, sizeof *notes);
    size_t *index = calloc(n_notes + 1, sizeof *index);
    cs_join_reason_t *why = calloc(n_notes + 1, sizeof *why);
    cs_join_t *j = NULL;
    char *err = NULL;
    cs_status_t st = prog && notes && index && why ? cs_join_create(&j, &err) : CS_ERR_NO_MEMORY;
    size_t p = 0, q = 0;
    for (int i = 0; st == CS_OK && i < n; i++)
        for (size_t k = 0; pads[i] && st == CS_OK && k < pads[i]->n_sessions; k++) {
            if (programme[i]) {
                prog[p] = &pads[i]->sessions[k];
                st = cs_join_add_programme(j, prog[p], p);
                p++;
            } else {
                notes[q++] = &pads[i]->sessions[k];
            }
        }
    if (st == CS_OK)
        st = cs_join_resolve(j, notes, n_notes, index, why);
    if (st == CS_OK) {
        printf("join:\n");
        for (size_t i = 0; i < n_notes; i++) {
            const cs_session_t *s = notes[i];
            printf("  %s:%u %-5s %s", s->source, s->line, cs_join_reason_name(why[i]), s->title);
            if (why[i] != CS_JOIN_NONE)
                printf("  => %s:%u %s", prog[index[i]]->source, prog[index[i]]->line,
                       prog[index[i]]->title);
            putchar('\n');
        }
        bool *joined = calloc(n_prog, sizeof *joined);
        for (size_t i = 0; joined && i < n_notes; i++)
            if (why[i] != CS_JOIN_NONE)
                joined[index[i]] = true;
        for (size_t i = 0; joined && i < n_prog; i++)
            if (!joined[i])
                printf("  %s:%u no notes yet: %s\n", prog[i]->source, prog[i]->line,
                       prog[i]->title);
        free(joined);
    } else {
        fprintf(stderr, "confsearch-index: join: %s\n", err ? err : cs_status_to_string(st));
    }
    cs_join_destroy(j);
    free(err);
    free(prog);
    free(notes);
    free(index);
    free(why);
    return st == CS_OK ? 0 : 1;
}

/* --explain: what each file would give, and nothing written. */
static int explain_files(char **paths, int n, run_t *run)
{
    int failed = 0;
    cs_pad_t **pads = calloc((size_t)n + 1, sizeof *pads);
    bool *programme = calloc((size_t)n + 1, sizeof *programme);
    if (!pads || !programme) {
        free(pads);
        free(programme);
        fprintf(stderr, "confsearch-index: %s\n", cs_status_to_string(CS_ERR_NO_MEMORY));
        return EXIT_INDEX_ERROR;
    }
    for (int i = 0; i < n; i++) {
        char *text = NULL, *errmsg = NULL;
        size_t len = 0;
        cs_status_t st =
            cs_notes_read(paths[i], run->notes_flags, warn_cb, run, &text, &len, NULL, &errmsg);
        if (st != CS_OK) {
            fprintf(stderr, "confsearch-index: %s\n", errmsg ? errmsg : cs_status_to_string(st));
            free(errmsg);
            failed = 1;
            continue;
        }
        printf("%s:\n", paths[i]);
        cs_pad_t *pad = NULL;
        programme[i] = cs_schedule_sniff(text, len) != CS_SCHEDULE_NONE;
        if (programme[i])
            st = cs_schedule_parse(text, len, paths[i], warn_cb, run, &pad, &errmsg);
        else
            st = cs_pad_parse_explained(text, len, paths[i], warn_cb, explain_cb, run, &pad);
        if (st != CS_OK) {
            if (errmsg)
                fprintf(stderr, "confsearch-index: %s\n", errmsg);
            else
                fprintf(stderr, "confsearch-index: %s: %s\n", paths[i], cs_status_to_string(st));
            free(errmsg);
            free(text);
            failed = 1;
            continue;
        }
        size_t talks = 0;
        for (size_t k = 0; k < pad->n_sessions; k++) {
            const cs_session_t *s = &pad->sessions[k];
            if (s->whole_file) {
                printf("  no talks recognised; one document titled \"%s\"\n", s->title);
                continue;
            }
            talks++;
            char when[32];
            if (s->date[0])
                snprintf(when, sizeof when, "%s%s", s->date, s->day ? "" : "");
            else if (s->day)
                snprintf(when, sizeof when, "day %d", s->day);
            else
                snprintf(when, sizeof when, "-");
            printf("  talk %-5u %-10s %5s%s%-5s %-10s %s", s->line, when,
                   s->time[0] ? s->time : "-", s->end_time[0] ? "-" : " ", s->end_time,
                   s->room ? s->room : "-", s->title);
            for (size_t j = 0; j < s->n_speakers; j++)
                printf("%s%s", j ? ", " : " | ", s->speakers[j]);
            if (s->day && s->date[0])
                printf("  (day %d)", s->day);
            if (s->link || s->url)
                printf("  -> %s", s->link ? s->link : s->url);
            if (s->track)
                printf("  [%s]", s->track);
            putchar('\n');
        }
        printf("  %zu talk%s%s%s\n", talks, talks == 1 ? "" : "s",
               pad->n_sessions && pad->sessions[0].conference ? ", conference " : "",
               pad->n_sessions && pad->sessions[0].conference ? pad->sessions[0].conference : "");
        pads[i] = pad;
        free(text);
    }
    if (explain_join(pads, programme, n))
        failed = 1;
    for (int i = 0; i < n; i++)
        cs_pad_free(pads[i]);
    free(pads);
    free(programme);
    return failed ? EXIT_SOME_FILES_FAILED : EXIT_OK;
}

/* True when path names the same file as an earlier argument, so a file
 * given twice is indexed once instead of getting duplicate ids. */
static int seen_before(char **resolved, int i)
{
    for (int j = 0; j < i; j++)
        if (resolved[j] && resolved[i] && strcmp(resolved[j], resolved[i]) == 0)
            return 1;
    return 0;
}

/* What one indexing run is asked to do. */
typedef struct {
    const char *db_path;
    char **paths; /* in the id rule's order */
    int nfiles;
    unsigned jobs;
    int prune;
    double start;
} index_t;

/* index_files' answer when the run changes too many talks for one
 * transaction: start again on a copy of the index. */
#define START_AGAIN (-1)

/* Indexes ix's files, on a copy of the index when on_copy (see
 * cs_index_writer_work_on_copy), prints the summary and returns the exit
 * code, or START_AGAIN. */
static int index_files(const index_t *ix, run_t *run, bool on_copy)
{
    char *errmsg = NULL;
    cs_index_writer_t *writer = NULL;
    cs_status_t st = cs_index_writer_open(ix->db_path, &writer, &errmsg);
    if (st != CS_OK) {
        fprintf(stderr, "confsearch-index: %s\n", errmsg ? errmsg : cs_status_to_string(st));
        free(errmsg);
        return st == CS_ERR_LOCKED    ? EXIT_LOCKED
               : st == CS_ERR_VERSION ? EXIT_VERSION
                                      : EXIT_INDEX_ERROR;
    }
    if (on_copy && cs_index_writer_work_on_copy(writer) != CS_OK && !run->quiet)
        fprintf(stderr,
                "confsearch-index: warning: %s; the run changes more than 50,000 talks and "
                "holds them all in memory until its commit\n",
                cs_index_writer_error(writer));
    if (!on_copy)
        cs_index_writer_use_threads(writer, ix->jobs);
    cs_index_writer_set_notice(writer, notice_cb, run);

    int nfiles = ix->nfiles;
    char **resolved = calloc((size_t)nfiles, sizeof *resolved);
    double last_shown = 0;
    for (int i = 0; i < nfiles; i++) {
        const char *path = ix->paths[i];
        if (resolved)
            resolved[i] = realpath(path, NULL);
        if (resolved && seen_before(resolved, i))
            continue;
        bool kept = false;
        int failed_before = run->failed;
        st = keep_if_unchanged(writer, path, run, &kept);
        if (st == CS_OK && !kept)
            st = add_file(writer, path, run);
        /* A refused link must not stand in for the file it points to,
         * given later. */
        if (resolved && run->failed > failed_before) {
            free(resolved[i]);
            resolved[i] = NULL;
        }
        if (st != CS_OK && st != CS_ERR_LIMIT) {
            /* The writer's messages name the file (and line) themselves:
             * with threads, a failure may surface while a later file is
             * handed over, so prefixing this path could name the wrong one. */
            if (st == CS_ERR_NO_MEMORY)
                say(run, "%s: out of memory", path);
            else
                say(run, "%s", cs_index_writer_error(writer));
            run->failed++;
        }
        double t = now_seconds();
        if (run->progress && t - ix->start > 0.5 && t - last_shown > 0.1) {
            show_progress((size_t)i + 1, (size_t)nfiles, run->bytes, t - ix->start);
            last_shown = t;
            run->showing = 1;
        }
        /* Unreadable files were counted above and are no error here.  A
         * talk that could not be written is: a failure inside Xapian may
         * have left the transaction unusable, and one in the analysis has
         * counted part of the talk's words for spelling (found in review).
         * Stop rather than commit a run we cannot vouch for. */
        if (st != CS_OK)
            break;
    }
    if (run->showing)
        fputs("\r\033[K", stderr);
    run->showing = 0;
    for (int i = 0; resolved && i < nfiles; i++)
        free(resolved[i]);
    free(resolved);

    size_t pruned = 0;
    if (st == CS_OK && ix->prune && (st = cs_index_writer_prune(writer, &pruned)) != CS_OK &&
        st != CS_ERR_LIMIT)
        fprintf(stderr, "confsearch-index: %s\n", cs_index_writer_error(writer));
    if (st == CS_OK)
        st = cs_index_writer_commit(writer);
    if (st == CS_ERR_LIMIT && !on_copy) {
        cs_index_writer_destroy(writer);
        return START_AGAIN;
    }
    if (st != CS_OK) {
        fprintf(stderr, "confsearch-index: %s: %s\n", ix->db_path, cs_index_writer_error(writer));
        cs_index_writer_destroy(writer);
        fprintf(stderr, "confsearch-index: nothing committed; the previous index is intact\n");
        return EXIT_INDEX_ERROR;
    }
    const cs_index_stats_t *stats = cs_index_writer_stats(writer);
    double elapsed = now_seconds() - ix->start;
    char no_talks_note[64] = "";
    if (run->no_talks)
        snprintf(no_talks_note, sizeof no_talks_note, "; %d file%s with no talks recognised",
                 run->no_talks, run->no_talks == 1 ? "" : "s");
    char pruned_note[64] = "";
    if (ix->prune)
        snprintf(pruned_note, sizeof pruned_note, "; %zu file%s gone from disk pruned", pruned,
                 pruned == 1 ? "" : "s");
    char joined_note[64] = "";
    if (stats->joined)
        snprintf(joined_note, sizeof joined_note, "; %zu notes talk%s joined to the programme",
                 stats->joined, stats->joined == 1 ? "" : "s");
    if (!run->quiet)
        printf("indexed %d file%s, %zu talks (%zu new, %zu updated, %zu unchanged, %zu deleted), "
               "%.1f kB in %.2f s; %zu file%s unchanged%s%s%s%s\n",
               run->indexed, run->indexed == 1 ? "" : "s", run->sessions, stats->added,
               stats->updated, stats->unchanged, stats->deleted, (double)run->bytes / 1e3, elapsed,
               stats->files_kept, stats->files_kept == 1 ? "" : "s", joined_note, no_talks_note,
               pruned_note, run->failed ? "; some files failed, see above" : "");
    cs_index_writer_destroy(writer);
    return run->failed ? EXIT_SOME_FILES_FAILED : EXIT_OK;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"db", required_argument, NULL, 'd'},
                                            {"quiet", no_argument, NULL, 'q'},
                                            {"jobs", required_argument, NULL, 'j'},
                                            {"rescan", no_argument, NULL, 'R'},
                                            {"no-progress", no_argument, NULL, 'P'},
                                            {"help", no_argument, NULL, 'h'},
                                            {"version", no_argument, NULL, 'V'},
                                            {"explain", no_argument, NULL, 'E'},
                                            {"follow-symlinks", no_argument, NULL, 'L'},
                                            {"prune", no_argument, NULL, 'X'},
                                            {NULL, 0, NULL, 0}};
    const char *db_path = NULL;
    int explain = 0, prune = 0;
    run_t run = {.progress = isatty(STDERR_FILENO)};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = ncpu > 0 ? (unsigned)ncpu : 1;
    int c;
    while ((c = getopt_long(argc, argv, "d:j:qhV", options, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'j': {
            char *end = NULL;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > CS_INDEX_MAX_THREADS) {
                fprintf(stderr, "confsearch-index: --jobs wants 1 to %d, got \"%s\"\n",
                        CS_INDEX_MAX_THREADS, optarg);
                return EXIT_USAGE;
            }
            jobs = (unsigned)n;
            break;
        }
        case 'q': run.quiet = 1; break;
        case 'R': run.rescan = 1; break;
        case 'E': explain = 1; break;
        case 'X': prune = 1; break;
        case 'L': run.notes_flags |= CS_NOTES_FOLLOW_SYMLINKS; break;
        case 'P': run.progress = 0; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V':
            printf("confsearch-index %s (Xapian %s; build %s)\n", CONFSEARCH_VERSION,
                   xc_xapian_version(), cs_indexer_build_id());
            return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (explain) {
        if (optind >= argc) {
            fprintf(stderr, "confsearch-index: no notes files given\n%s", usage_text);
            return EXIT_USAGE;
        }
        return explain_files(argv + optind, argc - optind, &run);
    }
    if (!db_path || (optind >= argc && !prune)) {
        fprintf(stderr, "confsearch-index: %s\n%s",
                db_path ? "no notes files given" : "--db DIR is required", usage_text);
        return EXIT_USAGE;
    }
    if (run.quiet)
        run.progress = 0;

    /* Xapian's default of merging its buffered changes every 10,000
     * documents holds far more memory and is slower than every 500 (the
     * in-memory maps outgrow the CPU caches), and glibc's fastbins make
     * freeing those maps dear (bench/RESULTS.md, "Figures behind choices
     * in the code").  An XAPIAN_FLUSH_THRESHOLD set by the user wins. */
    setenv("XAPIAN_FLUSH_THRESHOLD", "500", 0);
    mallopt(M_MXFAST, 0);

    int nfiles = argc - optind;
    if (!sort_by_source_key(argv + optind, nfiles)) {
        fprintf(stderr, "confsearch-index: out of memory\n");
        return EXIT_INDEX_ERROR;
    }
    index_t ix = {db_path, argv + optind, nfiles, jobs, prune, now_seconds()};
    int code = index_files(&ix, &run, false);
    if (code == START_AGAIN) {
        /* Too big for one transaction: again, on a copy of the index.  What
         * the first attempt said about its files is not said again. */
        run_t again = run;
        again.indexed = again.failed = again.no_talks = 0;
        again.sessions = again.bytes = again.warnings = 0;
        again.mute = run.said;
        again.said = 0;
        run = again;
        code = index_files(&ix, &run, true);
    }
    return code == START_AGAIN ? EXIT_INDEX_ERROR : code;
}
