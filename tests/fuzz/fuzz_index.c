/* fuzz_index.c: the index the search targets share (see fuzz_index.h): two
 * days of notes with CJK, full-width forms, markup to escape and words
 * that share a stem, and a programme one of their talks joins (so searches
 * also meet a joined pair, held notes and a talk without notes). */
#include "fuzz_index.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "index_writer.h"
#include "pad_parse.h"
#include "schedule.h"

static const char notes[] =
    "Fuzz Conf 2026 - Day 1 (March 14)\n"
    "[9:10][R0] Keynote: Twisted Python servers (Dan Maas)\n"
    "Twisted and asyncio, game servers, 測試 and 請舉手.\n"
    "---------------- Break ----------------\n"
    "[10:00][R1] 快快樂樂成為 Coding Ninja (Chun-Yu Tseng & Tim Hsu)\n"
    "pytest fixtures, 有在寫測試的人請舉手, Django 教練 <script>alert(1)</script> & \"quotes\"\n"
    "[10:00][R2] Debugging with GDB (Scott Tsai, Lee Yang)\n"
    "gdb python breakpoints stepping debugger debugging debugged\n"
    "---------------- Day 1 End ----------------\n";
static const char notes2[] = "Fuzz Conf 2026 - Day 2 (March 15)\n"
                             "[9:10][R0] ＦＵＬＬ－ＷＩＤＴＨ talk (ＤＡＮ maas)\n"
                             "full width ＴＷＩＳＴＥＤ text, zq1 zq2 zq3 and more words\n";

static const char programme[] =
    "{\"schedule\": {\"version\": \"1\", \"conference\": {\"title\": \"Fuzz Conf 2026\","
    " \"time_zone_name\": \"Asia/Taipei\", \"days\": [{\"index\": 1, \"date\": \"2026-03-14\","
    " \"rooms\": {\"R0\": [{\"id\": 1, \"date\": \"2026-03-14T09:10:00+08:00\", \"start\":"
    " \"09:10\", \"duration\": \"00:40\", \"room\": \"R0\", \"title\": \"Keynote: Twisted"
    " Python servers\", \"track\": \"Keynote\", \"abstract\": \"Servers & <b>sockets</b>\","
    " \"persons\": [{\"public_name\": \"Dan Maas\"}]}, {\"id\": 2, \"date\":"
    " \"2026-03-14T15:00:00+08:00\", \"start\": \"15:00\", \"duration\": \"00:30\", \"room\":"
    " \"R0\", \"title\": \"無人筆記的議程\", \"abstract\": \"沒有共筆 nobody took notes\","
    " \"persons\": [{\"public_name\": \"李小明\"}]}]}}]}}}";

static char dir[256];
static char db_path[300];
static cs_search_shared_t *shared;
static cs_searcher_t *searcher;
static const char *owner_name = "fuzz";

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void remove_index(void)
{
    cs_searcher_destroy(searcher);
    searcher = NULL;
    cs_search_shared_destroy(shared);
    shared = NULL;
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void index_text(cs_index_writer_t *w, const char *name, const char *text)
{
    cs_pad_t *pad = NULL;
    if (cs_pad_parse(text, strlen(text), name, NULL, NULL, &pad) != CS_OK ||
        cs_index_writer_add_file(w, name, pad) != CS_OK) {
        fprintf(stderr, "%s: cannot index %s\n", owner_name, name);
        abort();
    }
    cs_pad_free(pad);
}

/* libFuzzer does not always run atexit handlers (it may _Exit), so each
 * start removes the indexes of fuzz processes that are gone. */
static void remove_stale_indexes(const char *base)
{
    DIR *d = opendir(base);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        long pid = 0;
        char path[512];
        if (sscanf(e->d_name, "cs-fuzz-index-%ld", &pid) != 1 || pid <= 0 ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof path, "%s/%s", base, e->d_name);
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    if (d)
        closedir(d);
}

cs_searcher_t *fuzz_index_open(const char *owner)
{
    owner_name = owner;
    /* tmpfs when there is one: the index is read on every input. */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    remove_stale_indexes(base);
    snprintf(dir, sizeof dir, "%s/cs-fuzz-index-%ld", base, (long)getpid());
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (mkdir(dir, 0700) != 0)
        abort();
    snprintf(db_path, sizeof db_path, "%s/db", dir);
    char *err = NULL;
    cs_index_writer_t *w = NULL;
    if (cs_index_writer_open(db_path, &w, &err) != CS_OK) {
        fprintf(stderr, "%s: %s\n", owner, err ? err : "cannot open the index");
        abort();
    }
    cs_pad_t *pad = NULL;
    if (cs_schedule_parse(programme, strlen(programme), "programme.json", NULL, NULL, &pad, NULL) !=
            CS_OK ||
        cs_index_writer_add_file(w, "programme.json", pad) != CS_OK) {
        fprintf(stderr, "%s: cannot index the programme\n", owner);
        abort();
    }
    cs_pad_free(pad);
    index_text(w, "day1.txt", notes);
    index_text(w, "day2.txt", notes2);
    if (cs_index_writer_commit(w) != CS_OK)
        abort();
    cs_index_writer_destroy(w);
    if (cs_search_shared_create(db_path, &shared) != CS_OK ||
        cs_searcher_create(shared, &searcher) != CS_OK)
        abort();
    atexit(remove_index);
    return searcher;
}

void fuzz_index_check_search(json_t *answer, int status, const cs_search_request_t *req)
{
    FUZZ_CHECK(answer);
    char *text = json_dumps(answer, JSON_COMPACT);
    FUZZ_CHECK(text);
    free(text);
    if (status != 200) {
        /* The index is there and sound: only the request can be wrong. */
        FUZZ_CHECK(status == 400);
        json_t *e = json_object_get(answer, "error");
        FUZZ_CHECK(json_is_string(json_object_get(e, "message")));
        FUZZ_CHECK(strcmp(json_string_value(json_object_get(e, "code")), "bad_request") == 0);
        return;
    }
    json_t *hits = json_object_get(answer, "hits");
    FUZZ_CHECK(json_is_array(hits) && json_array_size(hits) <= req->size);
    FUZZ_CHECK(json_is_integer(json_object_get(answer, "total")));
    /* Five talks: four of notes (one of them joined to the programme, so
     * its own document is held and never counted) and the programme's
     * talk without notes. */
    FUZZ_CHECK(json_integer_value(json_object_get(answer, "total")) >= 0 &&
               json_integer_value(json_object_get(answer, "total")) <= 5);
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        const char *snippet = json_string_value(json_object_get(hit, "snippet"));
        FUZZ_CHECK(snippet);
        fuzz_check_html(snippet);
        json_t *marked = json_object_get(hit, "marked");
        if (marked) {
            FUZZ_CHECK(json_is_string(json_object_get(marked, "title")));
            fuzz_check_html(json_string_value(json_object_get(marked, "title")));
            size_t k;
            json_t *name;
            json_array_foreach(json_object_get(marked, "speakers"), k, name)
            {
                FUZZ_CHECK(json_is_string(name));
                fuzz_check_html(json_string_value(name));
            }
        }
    }
}
