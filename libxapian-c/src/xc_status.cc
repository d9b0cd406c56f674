// xc_status.cc: status names, and the single mapping from C++ exceptions to
// xc_status_t that every other file relies on.
#include "xc_internal.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace xc
{

static void store(std::string *err, const char *text) noexcept
{
    if (!err)
        return;
    try {
        *err = text;
    } catch (...) {
        err->clear();
    }
}

static xc_status_t store_xapian(std::string *err, xc_status_t status,
                                const Xapian::Error &e) noexcept
{
    if (err) {
        try {
            // get_description() is "<type>: <msg>" plus the errno text, if any.
            *err = e.get_description();
        } catch (...) {
            store(err, e.get_type());
        }
    }
    return status;
}

xc_status_t status_from_current_exception(std::string *err) noexcept
{
    // Derived classes before their bases: DatabaseModifiedError,
    // DatabaseLockError and DatabaseCorruptError are DatabaseErrors;
    // NotFound and Version are DatabaseOpeningErrors.
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return store_xapian(err, XC_ERR_MODIFIED, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return store_xapian(err, XC_ERR_LOCKED, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return store_xapian(err, XC_ERR_NOT_FOUND, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return store_xapian(err, XC_ERR_VERSION, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return store_xapian(err, XC_ERR_OPENING, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return store_xapian(err, XC_ERR_CORRUPT, e);
    } catch (const Xapian::DatabaseError &e) {
        return store_xapian(err, XC_ERR_DATABASE, e);
    } catch (const Xapian::QueryParserError &e) {
        return store_xapian(err, XC_ERR_BAD_QUERY, e);
    } catch (const Xapian::WildcardError &e) {
        return store_xapian(err, XC_ERR_WILDCARD, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return store_xapian(err, XC_ERR_INVALID_ARG, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return store_xapian(err, XC_ERR_INVALID_OP, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return store_xapian(err, XC_ERR_NOT_FOUND, e);
    } catch (const Xapian::Error &e) {
        return store_xapian(err, XC_ERR_XAPIAN, e);
    } catch (const std::bad_alloc &) {
        store(err, "std::bad_alloc: out of memory");
        return XC_ERR_NO_MEMORY;
    } catch (const std::exception &e) {
        // Not in the status list on its own, but its what() is worth keeping.
        if (err) {
            try {
                *err = std::string("C++ exception: ") + e.what();
            } catch (...) {
                err->clear();
            }
        }
        return XC_ERR_UNKNOWN;
    } catch (...) {
        store(err, "unknown C++ exception");
        return XC_ERR_UNKNOWN;
    }
}

xc_status_t fail(std::string *err, xc_status_t status, const char *message) noexcept
{
    store(err, message);
    return status;
}

char *dup_for_caller(const std::string &s)
{
    char *copy = static_cast<char *>(std::malloc(s.size() + 1));
    if (!copy)
        throw std::bad_alloc();
    std::memcpy(copy, s.data(), s.size());
    copy[s.size()] = '\0';
    return copy;
}

void give_errmsg(char **errmsg, const std::string &message) noexcept
{
    if (!errmsg)
        return;
    *errmsg = static_cast<char *>(std::malloc(message.size() + 1));
    if (*errmsg) {
        std::memcpy(*errmsg, message.data(), message.size());
        (*errmsg)[message.size()] = '\0';
    }
}

std::string quoted(std::string_view label, std::string_view value)
{
    std::string text(label);
    text += " '";
    text += value;
    text += '\'';
    return text;
}

} // namespace xc

extern "C" {

const char *xc_status_to_string(xc_status_t status)
{
    switch (xc::raw_enum(status)) {
    case XC_OK: return "ok";
    case XC_ERR_NULL_ARG: return "a required argument was NULL";
    case XC_ERR_INVALID_ARG: return "invalid argument";
    case XC_ERR_NOT_FOUND: return "not found";
    case XC_ERR_OPENING: return "database cannot be opened";
    case XC_ERR_VERSION: return "unsupported database format version";
    case XC_ERR_LOCKED: return "database is locked";
    case XC_ERR_MODIFIED: return "database was modified: reopen and retry";
    case XC_ERR_CORRUPT: return "database is corrupt";
    case XC_ERR_DATABASE: return "database error";
    case XC_ERR_BAD_QUERY: return "bad query";
    case XC_ERR_WILDCARD: return "wildcard expands to too many terms";
    case XC_ERR_INVALID_OP: return "operation not allowed in this state";
    case XC_ERR_NO_MEMORY: return "out of memory";
    case XC_ERR_XAPIAN: return "Xapian error";
    case XC_ERR_UNKNOWN: return "unknown error";
    }
    return "unknown status";
}

const char *xc_xapian_version(void)
{
    return XAPIAN_VERSION;
}

} // extern "C"
