/* status.c: the English names of cs_status_t, for logs and error replies. */
#include "status.h"

const char *cs_status_to_string(cs_status_t status)
{
    switch (status) {
    case CS_OK:
        return "success";
    case CS_ERR_NULL_ARG:
        return "a required argument was NULL";
    case CS_ERR_NO_MEMORY:
        return "out of memory";
    case CS_ERR_ICU:
        return "ICU error";
    case CS_ERR_IO:
        return "input/output error";
    case CS_ERR_FORMAT:
        return "input is not in the expected format";
    case CS_ERR_XAPIAN:
        return "the index refused the operation";
    case CS_ERR_LOCKED:
        return "the database is locked by another indexer";
    case CS_ERR_VERSION:
        return "unknown index format version";
    case CS_ERR_BAD_QUERY:
        return "bad query";
    case CS_ERR_LIMIT:
        return "a size or count limit was exceeded";
    }
    /* Not a default label, so -Wswitch flags a status added without a name. */
    return "unknown status";
}
