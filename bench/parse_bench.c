/* parse_bench.c: how fast notes are split into talks, per format: reads
 * each FILE once (as the indexer does), then parses all of them again and
 * again for at least a second and prints MB/s.  bench/formats.sh compares
 * the figure with a full build of the same files, in the same run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notes_reader.h"
#include "pad_parse.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: parse_bench FILE...\n", stderr);
        return 2;
    }
    int n = argc - 1;
    char **text = calloc((size_t)n, sizeof *text);
    size_t *len = calloc((size_t)n, sizeof *len);
    if (!text || !len)
        return 1;
    size_t bytes = 0, talks = 0;
    for (int i = 0; i < n; i++) {
        char *err = NULL;
        if (cs_notes_read(argv[i + 1], 0, NULL, NULL, &text[i], &len[i], NULL, &err) != CS_OK) {
            fprintf(stderr, "parse_bench: %s\n", err ? err : argv[i + 1]);
            return 1;
        }
        bytes += len[i];
    }
    double start = now(), elapsed = 0;
    unsigned rounds = 0;
    do {
        for (int i = 0; i < n; i++) {
            cs_pad_t *pad = NULL;
            if (cs_pad_parse(text[i], len[i], argv[i + 1], NULL, NULL, &pad) != CS_OK)
                return 1;
            if (rounds == 0)
                talks += pad->n_sessions;
            cs_pad_free(pad);
        }
        rounds++;
        elapsed = now() - start;
    } while (elapsed < 1.0);
    printf("%d files, %.2f MB, %zu talks: parsed %u times in %.2f s, %.1f MB/s\n", n,
           (double)bytes / 1e6, talks, rounds, elapsed, (double)bytes * rounds / 1e6 / elapsed);
    for (int i = 0; i < n; i++)
        free(text[i]);
    free(text);
    free(len);
    return 0;
}
