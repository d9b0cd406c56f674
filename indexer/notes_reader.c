/* notes_reader.c: bounded, repairing reader for notes files, and the
 * fingerprint of their raw bytes (XXH3 128-bit: fast enough to cost little
 * next to reading the file, and wide enough that two contents never meet). */
#include "notes_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/utf8.h>
#include <unistd.h>
#include <xxhash.h>

#include "utf8.h"

/* Read size of both the reader and the digest check. */
#define CHUNK_BYTES (64 * 1024)

static void digest_finish(XXH3_state_t *state, uint64_t size, cs_notes_digest_t *out)
{
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state));
    out->size = size;
    memcpy(out->hash, canonical.digest, sizeof out->hash);
}

bool cs_notes_digest_equal(const cs_notes_digest_t *a, const cs_notes_digest_t *b)
{
    return a && b && a->size == b->size && memcmp(a->hash, b->hash, sizeof a->hash) == 0;
}

/* What kind of file a non-regular one is, for the refusal. */
static const char *file_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "another kind of file";
}

/* Opens path for reading if it is a regular file (and no symbolic link,
 * unless flags say CS_NOTES_FOLLOW_SYMLINKS), *st its status; else -1
 * with *errmsg (may be NULL; caller frees) naming the file.  Only a
 * regular file is notes: a FIFO would block the run (O_NONBLOCK: opening
 * one must not wait for a writer), a device may never end, and a pipe's
 * bytes cannot be read twice for the digest. */
static int open_regular(const char *path, unsigned flags, struct stat *st, char **errmsg)
{
    int nofollow = 0;
    if (!(flags & CS_NOTES_FOLLOW_SYMLINKS)) {
        /* lstat for a refusal that says why; O_NOFOLLOW for a link put in
         * the file's place after it. */
        struct stat link;
        if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
            if (errmsg)
                *errmsg = cs_strdup_printf(
                    "%s: a symbolic link, refused (--follow-symlinks reads its target)", path);
            return -1;
        }
        nofollow = O_NOFOLLOW;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | nofollow);
    if (fd < 0 || fstat(fd, st) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: cannot open: %s", path, strerror(err));
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: not a regular file (%s), skipped", path,
                                       file_kind(st->st_mode));
        close(fd);
        return -1;
    }
    return fd;
}

bool cs_notes_unchanged(const char *path, unsigned flags, const cs_notes_digest_t *d)
{
    if (!path || !d)
        return false;
    struct stat st;
    int fd = open_regular(path, flags, &st, NULL);
    if (fd < 0)
        return false;
    /* One of another size has changed without reading a byte of it. */
    bool same = (uint64_t)st.st_size == d->size;
    XXH3_state_t *state = same ? XXH3_createState() : NULL;
    if (state && XXH3_128bits_reset(state) == XXH_OK) {
        unsigned char chunk[CHUNK_BYTES];
        uint64_t size = 0;
        ssize_t n;
        while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)) {
            if (n > 0) {
                XXH3_128bits_update(state, chunk, (size_t)n);
                size += (uint64_t)n;
            }
        }
        cs_notes_digest_t now;
        digest_finish(state, size, &now);
        same = n == 0 && cs_notes_digest_equal(&now, d);
    } else {
        same = false;
    }
    XXH3_freeState(state);
    close(fd);
    return same;
}

cs_status_t cs_utf8_repair(const char *in, size_t len, char **out, size_t *outlen, size_t *repairs,
                           unsigned *first_line)
{
    if (!in || !out || !outlen || !repairs || !first_line)
        return CS_ERR_NULL_ARG;
    /* U+FFFD is 3 bytes and replaces at least one byte: 3x bounds the output. */
    char *buf = malloc(len * 3 + 1);
    if (!buf)
        return CS_ERR_NO_MEMORY;
    const uint8_t *s = (const uint8_t *)in;
    size_t o = 0;
    unsigned line = 1;
    *repairs = 0;
    *first_line = 0;
    for (int32_t i = 0; (size_t)i < len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)len, c);
        if (c < 0) {
            if (!*repairs)
                *first_line = line;
            (*repairs)++;
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(buf + o, s + start, (size_t)(i - start));
            o += (size_t)(i - start);
            if (c == '\n')
                line++;
        }
    }
    buf[o] = '\0';
    /* The 3x room is left as it is: pages never written cost no memory,
     * and shrinking it with realloc raised the indexer's peak (measured in
     * docs/reliability.md §7). */
    *out = buf;
    *outlen = o;
    return CS_OK;
}

static int looks_binary(const unsigned char *p, size_t n)
{
    size_t control = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == 0)
            return 1;
        if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != '\f')
            control++;
    }
    return n > 0 && control * 8 > n;
}

cs_status_t cs_notes_read(const char *path, unsigned flags, cs_pad_warn_fn warn, void *ctx,
                          char **text, size_t *len, cs_notes_digest_t *digest, char **errmsg)
{
    if (!path || !text || !len)
        return CS_ERR_NULL_ARG;
    *text = NULL;
    *len = 0;
    struct stat st;
    int fd = open_regular(path, flags, &st, errmsg);
    if (fd < 0)
        return CS_ERR_IO;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: out of memory", path);
        return CS_ERR_NO_MEMORY;
    }
    size_t cap = 64 * 1024, used = 0, line_bytes = 0;
    unsigned line = 1;
    int cutting = 0, checked_binary = 0, capped = 0;
    char *buf = malloc(cap + 1);
    unsigned char chunk[CHUNK_BYTES];
    XXH3_state_t *state = XXH3_createState();
    cs_status_t status =
        buf && state && XXH3_128bits_reset(state) == XXH_OK ? CS_OK : CS_ERR_NO_MEMORY;
    uint64_t raw_bytes = 0;
    size_t n;
    while (status == CS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        /* Every byte read is hashed, before the repairs and cuts below. */
        XXH3_128bits_update(state, chunk, n);
        raw_bytes += n;
        if (!checked_binary) {
            checked_binary = 1;
            if (looks_binary(chunk, n)) {
                if (errmsg)
                    *errmsg = cs_strdup_printf("%s: looks like a binary file, skipped", path);
                status = CS_ERR_FORMAT;
                break;
            }
        }
        for (size_t i = 0; i < n && status == CS_OK; i++) {
            unsigned char c = chunk[i];
            if (c == '\n') {
                cutting = 0;
                line_bytes = 0;
                line++;
            } else if (cutting) {
                continue;
            } else if (++line_bytes > CS_MAX_LINE_BYTES) {
                /* Drop the rest of this line, ending it on a whole character:
                 * c goes into the spare byte past used (the buffer always
                 * keeps one) so the cut can see whether it continues one. */
                buf[used] = (char)c;
                used -= CS_MAX_LINE_BYTES - cs_utf8_floor(buf + used - CS_MAX_LINE_BYTES,
                                                          CS_MAX_LINE_BYTES + 1, CS_MAX_LINE_BYTES);
                cutting = 1;
                if (warn) {
                    char msg[96];
                    snprintf(msg, sizeof msg, "line longer than %d bytes, cut", CS_MAX_LINE_BYTES);
                    warn(path, line, msg, ctx);
                }
                continue;
            } else if (c == 0) {
                c = ' '; /* a stray NUL later in a text file: keep strings whole */
            }
            if (used >= CS_MAX_FILE_BYTES) {
                if (!capped && warn)
                    warn(path, line, "file larger than the 256 MiB limit, rest dropped", ctx);
                capped = 1;
                break;
            }
            if (used == cap) {
                char *grown = realloc(buf, cap * 2 + 1);
                if (!grown) {
                    status = CS_ERR_NO_MEMORY;
                    break;
                }
                buf = grown;
                cap *= 2;
            }
            buf[used++] = (char)c;
        }
        if (capped)
            break;
    }
    if (status == CS_OK && ferror(f)) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: read error: %s", path, strerror(errno));
        status = CS_ERR_IO;
    }
    fclose(f);
    if (status == CS_OK && digest)
        digest_finish(state, raw_bytes, digest);
    XXH3_freeState(state);
    if (status != CS_OK) {
        free(buf);
        if (status == CS_ERR_NO_MEMORY && errmsg)
            *errmsg = cs_strdup_printf("%s: out of memory", path);
        return status;
    }
    size_t repairs;
    unsigned first_line;
    status = cs_utf8_repair(buf, used, text, len, &repairs, &first_line);
    free(buf);
    if (status != CS_OK) {
        if (errmsg)
            *errmsg = cs_strdup_printf("%s: out of memory", path);
        return status;
    }
    if (repairs && warn) {
        char msg[128];
        snprintf(msg, sizeof msg, "invalid UTF-8 (%zu sequence%s) replaced with U+FFFD", repairs,
                 repairs == 1 ? "" : "s");
        warn(path, first_line, msg, ctx);
    }
    return CS_OK;
}
