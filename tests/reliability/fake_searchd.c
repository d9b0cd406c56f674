/* fake_searchd.c: behaves like confsearchd towards tests/test_daemon.c (says
 * where it listens, stops on SIGTERM) and then commits the memory error named
 * by its mode, so a sanitizer build proves the stderr scan catches reports. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *mode = "uaf";
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--mode") == 0)
            mode = argv[i + 1];
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    printf("confsearchd listening on http://127.0.0.1:9/\n");
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    /* volatile: the compiler must not see through the errors below. */
    volatile int big = argc + 0x7ffffffe;
    char *volatile p = malloc(16);
    if (strcmp(mode, "uaf") == 0) {
        free(p);
        return p[3];
    }
    if (strcmp(mode, "ub") == 0) {
        free(p);
        return big + 1 > 0 ? 0 : 1;
    }
    /* "leak": p is simply never freed. */
    p = NULL;
    return 0;
}
