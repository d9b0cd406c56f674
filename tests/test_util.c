/* test_util.c: process, directory and file helpers for end-to-end tests. */
#define _DEFAULT_SOURCE /* wait4, for the child's peak memory */
#include "test_util.h"

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *cs_test_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *cs_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, used = 0, n;
    char *buf = malloc(cap + 1);
    while (buf && (n = fread(buf + used, 1, cap - used, f)) > 0) {
        used += n;
        if (used == cap) {
            char *grown = realloc(buf, cap * 2 + 1);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[used] = '\0';
        if (len)
            *len = used;
    }
    return buf;
}

int cs_test_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

char *cs_test_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *templ = cs_test_path(tmp && *tmp ? tmp : "/tmp", "confsearch-test-XXXXXX");
    if (templ && !mkdtemp(templ)) {
        free(templ);
        return NULL;
    }
    return templ;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void cs_test_rmtree(const char *path)
{
    if (path)
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int cs_test_run(char *const argv[], long fsize_limit, cs_run_result_t *r)
{
    return cs_test_run_timed(argv, fsize_limit, 0, r);
}

int cs_test_run_timed(char *const argv[], long fsize_limit, unsigned timeout_s, cs_run_result_t *r)
{
    memset(r, 0, sizeof *r);
    char out_path[] = "/tmp/cs-run-out-XXXXXX", err_path[] = "/tmp/cs-run-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    if (out_fd < 0 || err_fd < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        if (fsize_limit > 0) {
            /* EFBIG instead of death by SIGXFSZ, as with a full disk's ENOSPC. */
            signal(SIGXFSZ, SIG_IGN);
            struct rlimit rl = {(rlim_t)fsize_limit, (rlim_t)fsize_limit};
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        /* An alarm outlives execv: the program itself is ended. */
        if (timeout_s)
            alarm(timeout_s);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->max_rss_kb = ru.ru_maxrss;
    close(out_fd);
    close(err_fd);
    r->out = cs_test_read_file(out_path, NULL);
    r->err = cs_test_read_file(err_path, NULL);
    unlink(out_path);
    unlink(err_path);
    return 0;
}

void cs_test_run_free(cs_run_result_t *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
