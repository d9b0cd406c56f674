/* test_util.h: helpers for end-to-end tests: run a program and capture its
 * output, temporary directories, whole-file reads and writes. */
#ifndef CS_TEST_UTIL_H
#define CS_TEST_UTIL_H

#include <stddef.h>
#include <sys/resource.h>

typedef struct {
    int exit_code;   /* exit status, or 128 + signal when killed */
    char *out, *err; /* everything written to stdout and stderr (caller frees) */
    long max_rss_kb; /* the child's peak resident set */
} cs_run_result_t;

/* Runs argv[0] (a path) with argv, stdin from /dev/null; if fsize_limit is
 * non-zero the child may not write files beyond that many bytes (a stand-in
 * for a full disk).  Returns 0, or -1 if it could not be started. */
int cs_test_run(char *const argv[], long fsize_limit, cs_run_result_t *r);
/* The same, and the child gets SIGALRM (exit_code 128 + 14) after
 * timeout_s seconds (0: never), for runs that must not hang. */
int cs_test_run_timed(char *const argv[], long fsize_limit, unsigned timeout_s, cs_run_result_t *r);
void cs_test_run_free(cs_run_result_t *r);

/* A fresh directory under $TMPDIR (or /tmp); caller frees the string and
 * removes the tree with cs_test_rmtree. */
char *cs_test_mkdtemp(void);
void cs_test_rmtree(const char *path);

int cs_test_write_file(const char *path, const char *data, size_t len);
/* The file's bytes, NUL-terminated (caller frees), or NULL. */
char *cs_test_read_file(const char *path, size_t *len);
/* Returns a malloc'd "dir/name". */
char *cs_test_path(const char *dir, const char *name);

#endif /* CS_TEST_UTIL_H */
