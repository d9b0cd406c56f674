/* status.c: the English names of cs_status_t, and formatted error messages. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *cs_status_to_string(cs_status_t status)
{
    switch (status) {
    case CS_OK: return "success";
    case CS_ERR_NULL_ARG: return "a required argument was NULL";
    case CS_ERR_NO_MEMORY: return "out of memory";
    case CS_ERR_ICU: return "ICU error";
    case CS_ERR_IO: return "input/output error";
    case CS_ERR_FORMAT: return "input is not in the expected format";
    case CS_ERR_XAPIAN: return "the index refused the operation";
    case CS_ERR_LOCKED: return "the database is locked by another indexer";
    case CS_ERR_VERSION: return "unknown index format version";
    case CS_ERR_BAD_QUERY: return "bad query";
    case CS_ERR_LIMIT: return "a size or count limit was exceeded";
    case CS_ERR_OPENCC: return "OpenCC (Chinese script conversion) failed";
    case CS_ERR_NOT_READY: return "the index is still being built";
    }
    /* Not a default label, so -Wswitch flags a status added without a name. */
    return "unknown status";
}

char *cs_strdup_printf(const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (out)
        vsnprintf(out, (size_t)n + 1, fmt, again);
    va_end(again);
    return out;
}
