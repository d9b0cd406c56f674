// xc_database.cc: opening, reading and writing databases, and their
// metadata, spelling and synonym tables.
#include "xc_internal.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace
{

// The limit of Xapian's glass backend (the only disk backend in 1.4).
constexpr size_t max_term_bytes = 245;

bool path_is_missing(const char *path)
{
    struct stat sb;
    return stat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

xc_status_t open_handle(const char *path, bool writable, int flags, xc_database_t **out,
                        char **errmsg)
{
    if (errmsg)
        *errmsg = nullptr;
    if (out)
        *out = nullptr;
    if (!path || !out) {
        xc::give_errmsg(errmsg, "NULL argument: path and out are required");
        return XC_ERR_NULL_ARG;
    }
    std::string err;
    xc_status_t status = xc::run(
        &err, [&] { return xc::quoted("path", path); },
        [&] {
            std::unique_ptr<Xapian::Database> db;
            if (writable)
                db.reset(new Xapian::WritableDatabase(path, flags));
            else
                db.reset(new Xapian::Database(path));
            auto handle = std::make_unique<xc_database>();
            handle->path = path;
            handle->writable = writable;
            handle->db = db.release();
            *out = handle.release();
            return XC_OK;
        });
    // 1.4.22 throws DatabaseNotFoundError for a missing path, but older
    // 1.4 releases threw its base DatabaseOpeningError; callers rely on
    // NOT_FOUND to mean "create it" or "wrong path", so make sure.
    if (status == XC_ERR_OPENING && path_is_missing(path))
        status = XC_ERR_NOT_FOUND;
    if (status != XC_OK)
        xc::give_errmsg(errmsg, err);
    return status;
}

xc_status_t read_only(xc_database_t *db, const char *what)
{
    std::string message;
    try {
        message = std::string("InvalidOperationError: ") + what +
                  " needs a writable database, this one was opened read-only (" +
                  xc::quoted("path", db->path) + ")";
    } catch (...) {
    }
    return xc::fail(&db->err, XC_ERR_INVALID_OP, message.c_str());
}

// Glass checks term lengths only inside add_document/replace_document, and
// its failure there cancels every change pending since the last commit
// (seen on 1.4.22), so one bad document would silently cost the batch.
// Checking first turns it into an error for that document alone.
xc_status_t check_term_lengths(xc_database_t *db, const Xapian::Document &doc)
{
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string term = *it;
        if (term.size() > max_term_bytes) {
            std::string message = "InvalidArgumentError: Term too long (> 245 bytes) (" +
                                  xc::quoted("term", term) + ")";
            return xc::fail(&db->err, XC_ERR_INVALID_ARG, message.c_str());
        }
    }
    return XC_OK;
}

std::string term_context(const xc_database_t *db, std::string_view what, const char *term,
                         size_t len)
{
    return xc::quoted(what, term ? std::string_view(term, len) : std::string_view()) + ", " +
           xc::quoted("path", db->path);
}

} // namespace

extern "C" {

xc_status_t xc_database_open(const char *path, xc_database_t **out, char **errmsg)
{
    return open_handle(path, false, 0, out, errmsg);
}

xc_status_t xc_database_open_writable(const char *path, xc_db_mode_t mode, xc_database_t **out,
                                      char **errmsg)
{
    int flags;
    switch (xc::raw_enum(mode)) {
    case XC_DB_OPEN: flags = Xapian::DB_OPEN; break;
    case XC_DB_CREATE: flags = Xapian::DB_CREATE; break;
    case XC_DB_CREATE_OR_OPEN: flags = Xapian::DB_CREATE_OR_OPEN; break;
    default:
        if (errmsg)
            *errmsg = nullptr;
        if (out)
            *out = nullptr;
        xc::give_errmsg(errmsg, "InvalidArgumentError: unknown xc_db_mode_t");
        return XC_ERR_INVALID_ARG;
    }
    return open_handle(path, true, flags, out, errmsg);
}

xc_status_t xc_database_create_scratch(const char *path, xc_database_t **out, char **errmsg)
{
    return open_handle(path, true, Xapian::DB_CREATE | Xapian::DB_NO_SYNC, out, errmsg);
}

void xc_database_destroy(xc_database_t *db)
{
    if (!db)
        return;
    try {
        if (db->writable) {
            // WritableDatabase's destructor commits pending changes (and
            // swallows any error), but xapian-c.h promises that destroy does
            // not: an unflushed transaction, cancelled by the destructor,
            // takes every uncommitted change with it (Xapian's documented
            // begin_transaction(false) semantics).  If the caller's own
            // transaction is open, cancelling that is what we want anyway.
            try {
                db->wdb().begin_transaction(false);
            } catch (const Xapian::InvalidOperationError &) {
            }
            db->wdb().cancel_transaction();
        }
    } catch (...) {
    }
    try {
        delete db->db;
    } catch (...) {
    }
    delete db;
}

const char *xc_database_status_string(const xc_database_t *db)
{
    return db ? db->err.c_str() : "";
}

bool xc_database_is_writable(const xc_database_t *db)
{
    return db && db->writable;
}

xc_status_t xc_database_reopen(xc_database_t *db, bool *changed)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            bool did_change = db->db->reopen();
            if (changed)
                *changed = did_change;
            return XC_OK;
        });
}

xc_status_t xc_database_get_doccount(xc_database_t *db, uint32_t *out)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!out)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: out");
            *out = db->db->get_doccount();
            return XC_OK;
        });
}

xc_status_t xc_database_get_revision(xc_database_t *db, uint64_t *out)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!out)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: out");
            *out = db->db->get_revision();
            return XC_OK;
        });
}

xc_status_t xc_database_get_uuid(xc_database_t *db, char *out, size_t cap)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!out || cap < 37)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL or short argument: out");
            std::string uuid = db->db->get_uuid();
            if (uuid.size() >= cap)
                uuid.clear();
            memcpy(out, uuid.c_str(), uuid.size() + 1);
            return XC_OK;
        });
}

xc_status_t xc_database_get_termfreq(xc_database_t *db, const char *term, size_t len, uint32_t *out)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "term", term, len); },
        [&] {
            if (!out || !xc::bytes_ok(term, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: term or out");
            *out = db->db->get_termfreq(xc::bytes(term, len));
            return XC_OK;
        });
}

xc_status_t xc_database_allterms(xc_database_t *db, const char *prefix, size_t len, xc_term_fn fn,
                                 void *ctx)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "prefix", prefix, len); },
        [&] {
            if (!fn || !xc::bytes_ok(prefix, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: prefix or fn");
            const std::string p = xc::bytes(prefix, len);
            for (auto it = db->db->allterms_begin(p); it != db->db->allterms_end(p); ++it) {
                const std::string term = *it;
                if (fn(term.data(), term.size(), it.get_termfreq(), ctx) != 0)
                    break;
            }
            return XC_OK;
        });
}

xc_status_t xc_database_postlist(xc_database_t *db, const char *term, size_t len, xc_docid_fn fn,
                                 void *ctx)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "term", term, len); },
        [&] {
            if (!fn || !xc::bytes_ok(term, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: term or fn");
            const std::string t = xc::bytes(term, len);
            for (auto it = db->db->postlist_begin(t); it != db->db->postlist_end(t); ++it) {
                if (fn(*it, ctx) != 0)
                    break;
            }
            return XC_OK;
        });
}

xc_status_t xc_database_first_docid(xc_database_t *db, const char *term, size_t len,
                                    xc_docid_t *out)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "term", term, len); },
        [&] {
            if (!out || !xc::bytes_ok(term, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: term or out");
            const std::string t = xc::bytes(term, len);
            Xapian::PostingIterator it = db->db->postlist_begin(t);
            *out = it != db->db->postlist_end(t) ? *it : 0;
            return XC_OK;
        });
}

xc_status_t xc_database_values(xc_database_t *db, xc_valueno_t slot, xc_docvalue_fn fn, void *ctx)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err,
        [&] { return "slot " + std::to_string(slot) + ", " + xc::quoted("path", db->path); },
        [&] {
            if (!fn)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: fn");
            const Xapian::ValueIterator end = db->db->valuestream_end(slot);
            for (auto it = db->db->valuestream_begin(slot); it != end; ++it) {
                const std::string value = *it;
                if (fn(it.get_docid(), value.c_str(), value.size(), ctx) != 0)
                    break;
            }
            return XC_OK;
        });
}

xc_status_t xc_database_get_metadata(xc_database_t *db, const char *key, char **value, size_t *len)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    if (value)
        *value = nullptr;
    if (len)
        *len = 0;
    return xc::run(
        &db->err, [&] { return term_context(db, "key", key, key ? strlen(key) : 0); },
        [&] {
            if (!key || !value || !len)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: key, value or len");
            // Xapian cannot tell an absent key from an empty value:
            // setting "" deletes the key.
            const std::string v = db->db->get_metadata(key);
            if (!v.empty()) {
                *value = xc::dup_for_caller(v);
                *len = v.size();
            }
            return XC_OK;
        });
}

xc_status_t xc_database_set_metadata(xc_database_t *db, const char *key, const char *value,
                                     size_t len)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "key", key, key ? strlen(key) : 0); },
        [&] {
            if (!key || !xc::bytes_ok(value, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: key or value");
            if (!db->writable)
                return read_only(db, "set_metadata");
            db->wdb().set_metadata(key, xc::bytes(value, len));
            return XC_OK;
        });
}

xc_status_t xc_database_get_document(xc_database_t *db, xc_docid_t docid, xc_document_t **out)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    if (out)
        *out = nullptr;
    return xc::run(
        &db->err,
        [&] { return "docid " + std::to_string(docid) + ", " + xc::quoted("path", db->path); },
        [&] {
            if (!out)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: out");
            // Xapian calls docid 0 an invalid argument; for the
            // caller it is simply a document that does not exist.
            if (docid == 0)
                return xc::fail(&db->err, XC_ERR_NOT_FOUND,
                                "DocNotFoundError: document id 0 is never valid");
            auto doc = std::make_unique<xc_document>();
            doc->doc = db->db->get_document(docid);
            *out = doc.release();
            return XC_OK;
        });
}

xc_status_t xc_database_replace_document(xc_database_t *db, const char *idterm, size_t len,
                                         const xc_document_t *doc, xc_docid_t *docid)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "idterm", idterm, len); },
        [&] {
            if (!doc || !xc::bytes_ok(idterm, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: idterm or doc");
            if (!db->writable)
                return read_only(db, "replace_document");
            if (xc_status_t status = check_term_lengths(db, doc->doc))
                return status;
            Xapian::docid id = db->wdb().replace_document(xc::bytes(idterm, len), doc->doc);
            if (docid)
                *docid = id;
            return XC_OK;
        });
}

xc_status_t xc_database_replace_document_at(xc_database_t *db, xc_docid_t docid,
                                            const xc_document_t *doc)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return "docid " + std::to_string(docid); },
        [&] {
            if (!doc || docid == 0)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: doc, or docid 0");
            if (!db->writable)
                return read_only(db, "replace_document");
            if (xc_status_t status = check_term_lengths(db, doc->doc))
                return status;
            db->wdb().replace_document(docid, doc->doc);
            return XC_OK;
        });
}

xc_status_t xc_database_add_document(xc_database_t *db, const xc_document_t *doc, xc_docid_t *docid)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!doc)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: doc");
            if (!db->writable)
                return read_only(db, "add_document");
            if (xc_status_t status = check_term_lengths(db, doc->doc))
                return status;
            Xapian::docid id = db->wdb().add_document(doc->doc);
            if (docid)
                *docid = id;
            return XC_OK;
        });
}

xc_status_t xc_database_delete_document_by_term(xc_database_t *db, const char *idterm, size_t len)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "idterm", idterm, len); },
        [&] {
            if (!xc::bytes_ok(idterm, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: idterm");
            if (!db->writable)
                return read_only(db, "delete_document_by_term");
            db->wdb().delete_document(xc::bytes(idterm, len));
            return XC_OK;
        });
}

xc_status_t xc_database_delete_document(xc_database_t *db, xc_docid_t docid)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err,
        [&] { return "docid " + std::to_string(docid) + ", " + xc::quoted("path", db->path); },
        [&] {
            if (!db->writable)
                return read_only(db, "delete_document");
            if (docid == 0)
                return xc::fail(&db->err, XC_ERR_NOT_FOUND,
                                "DocNotFoundError: document id 0 is never valid");
            db->wdb().delete_document(docid);
            return XC_OK;
        });
}

xc_status_t xc_database_commit(xc_database_t *db)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!db->writable)
                return read_only(db, "commit");
            db->wdb().commit();
            return XC_OK;
        });
}

xc_status_t xc_database_begin_transaction(xc_database_t *db, bool flushed)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!db->writable)
                return read_only(db, "begin_transaction");
            db->wdb().begin_transaction(flushed);
            return XC_OK;
        });
}

xc_status_t xc_database_commit_transaction(xc_database_t *db)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!db->writable)
                return read_only(db, "commit_transaction");
            db->wdb().commit_transaction();
            return XC_OK;
        });
}

xc_status_t xc_database_cancel_transaction(xc_database_t *db)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!db->writable)
                return read_only(db, "cancel_transaction");
            db->wdb().cancel_transaction();
            return XC_OK;
        });
}

// add_spelling and remove_spelling differ only in the direction.
static xc_status_t change_spelling(xc_database_t *db, const char *word, size_t len, uint32_t by,
                                   bool add)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    const char *what = add ? "add_spelling" : "remove_spelling";
    return xc::run(
        &db->err, [&] { return term_context(db, "word", word, len); },
        [&] {
            if (!xc::bytes_ok(word, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: word");
            if (!db->writable)
                return read_only(db, what);
            if (add)
                db->wdb().add_spelling(xc::bytes(word, len), by);
            else
                db->wdb().remove_spelling(xc::bytes(word, len), by);
            return XC_OK;
        });
}

xc_status_t xc_database_add_spelling(xc_database_t *db, const char *word, size_t len,
                                     uint32_t freqinc)
{
    return change_spelling(db, word, len, freqinc, true);
}

xc_status_t xc_database_remove_spelling(xc_database_t *db, const char *word, size_t len,
                                        uint32_t freqdec)
{
    return change_spelling(db, word, len, freqdec, false);
}

xc_status_t xc_database_spellings(xc_database_t *db, xc_term_fn fn, void *ctx)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!fn)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: fn");
            for (auto it = db->db->spellings_begin(); it != db->db->spellings_end(); ++it) {
                const std::string word = *it;
                if (fn(word.data(), word.size(), it.get_termfreq(), ctx) != 0)
                    break;
            }
            return XC_OK;
        });
}

xc_status_t xc_database_get_spelling_suggestion(xc_database_t *db, const char *word, size_t len,
                                                unsigned max_edit_distance, char **out)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    if (out)
        *out = nullptr;
    return xc::run(
        &db->err, [&] { return term_context(db, "word", word, len); },
        [&] {
            if (!out || !xc::bytes_ok(word, len))
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: word or out");
            // "" means no suggestion, and also that the word is
            // already in the spelling table.
            const std::string suggestion =
                db->db->get_spelling_suggestion(xc::bytes(word, len), max_edit_distance);
            if (!suggestion.empty())
                *out = xc::dup_for_caller(suggestion);
            return XC_OK;
        });
}

xc_status_t xc_database_add_synonym(xc_database_t *db, const char *term, const char *synonym)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "term", term, term ? strlen(term) : 0); },
        [&] {
            if (!term || !synonym)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: term or synonym");
            if (!db->writable)
                return read_only(db, "add_synonym");
            db->wdb().add_synonym(term, synonym);
            return XC_OK;
        });
}

xc_status_t xc_database_remove_synonym(xc_database_t *db, const char *term, const char *synonym)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "term", term, term ? strlen(term) : 0); },
        [&] {
            if (!term || !synonym)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: term or synonym");
            if (!db->writable)
                return read_only(db, "remove_synonym");
            db->wdb().remove_synonym(term, synonym);
            return XC_OK;
        });
}

xc_status_t xc_database_synonyms(xc_database_t *db, const char *term, xc_term_fn fn, void *ctx)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return term_context(db, "term", term, term ? strlen(term) : 0); },
        [&] {
            if (!term || !fn)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: term or fn");
            for (auto it = db->db->synonyms_begin(term); it != db->db->synonyms_end(term); ++it) {
                const std::string synonym = *it;
                if (fn(synonym.data(), synonym.size(), 0, ctx) != 0)
                    break;
            }
            return XC_OK;
        });
}

xc_status_t xc_database_add_database(xc_database_t *db, const xc_database_t *other)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("path", db->path); },
        [&] {
            if (!other)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: other");
            // A WritableDatabase may hold only one shard, and
            // mixing a writer into a reader would let one handle
            // see uncommitted changes through another.
            if (db->writable || other->writable)
                return xc::fail(&db->err, XC_ERR_INVALID_OP,
                                "InvalidOperationError: add_database needs "
                                "read-only databases");
            db->db->add_database(*other->db);
            return XC_OK;
        });
}

xc_status_t xc_database_compact(xc_database_t *db, const char *dest, xc_compact_level_t level)
{
    if (!db)
        return XC_ERR_NULL_ARG;
    return xc::run(
        &db->err, [&] { return xc::quoted("destination", dest ? dest : ""); },
        [&] {
            if (!dest)
                return xc::fail(&db->err, XC_ERR_NULL_ARG, "NULL argument: dest");
            unsigned flags;
            switch (xc::raw_enum(level)) {
            case XC_COMPACT_STANDARD: flags = Xapian::Compactor::STANDARD; break;
            case XC_COMPACT_FULL: flags = Xapian::Compactor::FULL; break;
            case XC_COMPACT_FULLER: flags = Xapian::Compactor::FULLER; break;
            default:
                return xc::fail(&db->err, XC_ERR_INVALID_ARG,
                                "InvalidArgumentError: unknown xc_compact_level_t");
            }
            db->db->compact(dest, flags);
            return XC_OK;
        });
}

} // extern "C"
