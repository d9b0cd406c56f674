/* main.c: the confsearchd command: serve an index over HTTP until told to stop. */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "search.h"
#include "server.h"
#include "xapian-c.h"

enum { EXIT_OK = 0, EXIT_FAILURE_START = 1, EXIT_USAGE = 2, EXIT_VERSION = 5 };

static const char usage_text[] =
    "usage: confsearchd --db DIR [options]\n"
    "\n"
    "Serves the confsearch index DIR over HTTP: /api/search, /api/suggest,\n"
    "/api/sessions/ID, /api/sessions/ID/similar, /healthz and the web UI at /.\n"
    "See docs/api.md.\n"
    "\n"
    "options:\n"
    "  -d, --db DIR             the index written by confsearch-index (required)\n"
    "  -l, --listen HOST:PORT   address to listen on (default 127.0.0.1:8080;\n"
    "                           port 0 picks a free port, printed on stdout)\n"
    "  -t, --threads N          worker threads (default: number of cores)\n"
    "      --cors-origin ORIGIN allow this origin (repeatable; default: any)\n"
    "      --web DIR            the web UI's files (default: share/confsearch/web\n"
    "                           beside an installed daemon, else " CS_WEB_DIR ")\n"
    "      --cache-max-age SECONDS\n"
    "                           how long caches may reuse a search, suggest or\n"
    "                           talk answer (default 5; 0 to 86400)\n"
    "      --metrics-listen HOST:PORT\n"
    "                           serve Prometheus metrics at /metrics on this\n"
    "                           separate address (default: off)\n"
    "      --log-format FORMAT  access log as text (default) or json\n"
    "      --no-query-log       never write a search's query in the access log\n"
    "      --no-access-log      no per-request log line on stderr\n"
    "  -h, --help               this help\n"
    "  -V, --version            version\n"
    "\n"
    "exit codes: 0 stopped by SIGTERM/SIGINT; 1 cannot start; 2 usage error;\n"
    "5 the index has an unknown format version.\n";

static int parse_listen(const char *arg, char *host, size_t hostlen, uint16_t *port)
{
    const char *colon = strrchr(arg, ':');
    if (!colon || (size_t)(colon - arg) >= hostlen || colon == arg)
        return -1;
    char *end = NULL;
    long p = strtol(colon + 1, &end, 10);
    if (!*(colon + 1) || *end || p < 0 || p > 65535)
        return -1;
    memcpy(host, arg, (size_t)(colon - arg));
    host[colon - arg] = '\0';
    *port = (uint16_t)p;
    return 0;
}

/* The web files beside an installed daemon (CS_WEB_FROM_EXE, relative to
 * the directory of the executable, works under any prefix or DESTDIR),
 * else the source tree's, where the daemon is run from the build tree. */
static const char *installed_web_dir(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat sb;
    if (n > 0) {
        exe[n] = '\0';
        int len = snprintf(buf, cap, "%s/%s/index.html", dirname(exe), CS_WEB_FROM_EXE);
        if (len > 0 && (size_t)len < cap && stat(buf, &sb) == 0 && S_ISREG(sb.st_mode)) {
            buf[len - (int)strlen("/index.html")] = '\0';
            return buf;
        }
    }
    return CS_WEB_DIR;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"db", required_argument, NULL, 'd'},
                                            {"listen", required_argument, NULL, 'l'},
                                            {"threads", required_argument, NULL, 't'},
                                            {"cors-origin", required_argument, NULL, 'c'},
                                            {"web", required_argument, NULL, 'w'},
                                            {"no-access-log", no_argument, NULL, 'n'},
                                            {"cache-max-age", required_argument, NULL, 'a'},
                                            {"metrics-listen", required_argument, NULL, 'm'},
                                            {"log-format", required_argument, NULL, 'f'},
                                            {"no-query-log", no_argument, NULL, 'Q'},
                                            {"help", no_argument, NULL, 'h'},
                                            {"version", no_argument, NULL, 'V'},
                                            {NULL, 0, NULL, 0}};
    cs_server_config_t config = {.host = "127.0.0.1",
                                 .port = 8080,
                                 .access_log = true,
                                 .query_log = true,
                                 .cache_max_age = 5};
    char host[64] = "127.0.0.1", metrics_host[64] = "";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    config.threads = ncpu > 0 ? (unsigned)ncpu : 2;
    int c;
    while ((c = getopt_long(argc, argv, "d:l:t:hV", options, NULL)) != -1) {
        switch (c) {
        case 'd': config.db_path = optarg; break;
        case 'l':
            if (parse_listen(optarg, host, sizeof host, &config.port) != 0) {
                fprintf(stderr, "confsearchd: --listen wants HOST:PORT, got \"%s\"\n", optarg);
                return EXIT_USAGE;
            }
            config.host = host;
            break;
        case 't': {
            char *end = NULL;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "confsearchd: --threads wants 1 to 256, got \"%s\"\n", optarg);
                return EXIT_USAGE;
            }
            config.threads = (unsigned)n;
            break;
        }
        case 'c':
            if (config.n_cors_origins == CS_SERVER_MAX_ORIGINS) {
                fprintf(stderr, "confsearchd: at most %d --cors-origin\n", CS_SERVER_MAX_ORIGINS);
                return EXIT_USAGE;
            }
            config.cors_origins[config.n_cors_origins++] = optarg;
            break;
        case 'w': config.web_dir = optarg; break;
        case 'a': {
            char *end = NULL;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 0 || n > 86400) {
                fprintf(stderr, "confsearchd: --cache-max-age wants 0 to 86400, got \"%s\"\n",
                        optarg);
                return EXIT_USAGE;
            }
            config.cache_max_age = (unsigned)n;
            break;
        }
        case 'm':
            if (parse_listen(optarg, metrics_host, sizeof metrics_host, &config.metrics_port) !=
                0) {
                fprintf(stderr, "confsearchd: --metrics-listen wants HOST:PORT, got \"%s\"\n",
                        optarg);
                return EXIT_USAGE;
            }
            config.metrics_host = metrics_host;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0) {
                config.log_format = CS_LOG_TEXT;
            } else if (strcmp(optarg, "json") == 0) {
                config.log_format = CS_LOG_JSON;
            } else {
                fprintf(stderr, "confsearchd: --log-format wants text or json, got \"%s\"\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'Q': config.query_log = false; break;
        case 'n': config.access_log = false; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V':
            printf("confsearchd %s (Xapian %s)\n", CONFSEARCH_VERSION, xc_xapian_version());
            return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (!config.db_path || optind < argc) {
        fprintf(stderr, "confsearchd: %s\n%s",
                config.db_path ? "unexpected arguments" : "--db DIR is required", usage_text);
        return EXIT_USAGE;
    }

    char web_dir[PATH_MAX];
    if (!config.web_dir)
        config.web_dir = installed_web_dir(web_dir, sizeof web_dir);

    /* An index of another format is refused now; a missing one is not: the
     * daemon answers 503 until the indexer has written it. */
    char *err = NULL;
    cs_status_t st = cs_search_check_index(config.db_path, &err);
    if (st == CS_ERR_VERSION) {
        fprintf(stderr, "confsearchd: %s\n", err);
        free(err);
        return EXIT_VERSION;
    }
    if (st != CS_OK)
        fprintf(stderr, "confsearchd: warning: %s; answering 503 until it is there\n", err);
    free(err);

    /* Block the stop signals in every thread (workers inherit the mask), so
     * that only sigwait below receives them; a closed client must not kill
     * us with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    cs_server_t *server = NULL;
    err = NULL;
    st = cs_server_start(&config, &server, &err);
    if (st != CS_OK) {
        fprintf(stderr, "confsearchd: %s\n", err ? err : cs_status_to_string(st));
        free(err);
        return EXIT_FAILURE_START;
    }
    printf("confsearchd listening on http://%s:%u/\n", config.host,
           (unsigned)cs_server_port(server));
    if (config.metrics_host)
        printf("confsearchd metrics on http://%s:%u/metrics\n", config.metrics_host,
               (unsigned)cs_server_metrics_port(server));
    fflush(stdout);
    /* Under systemd (Type=notify): the unit is started once we listen.
     * Without NOTIFY_SOCKET this does nothing. */
    sd_notifyf(0, "READY=1\nSTATUS=serving %s on %s:%u", config.db_path, config.host,
               (unsigned)cs_server_port(server));
    int sig = 0;
    sigwait(&stop, &sig);
    sd_notify(0, "STOPPING=1");
    fprintf(stderr, "confsearchd: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    cs_server_stop(server);
    return EXIT_OK;
}
