// xc_internal.h: libxapian-c's private half: the handle structs behind the
// opaque C types, and the one place C++ exceptions are turned into statuses.
#ifndef XC_INTERNAL_H
#define XC_INTERNAL_H

#include "xapian-c.h"

#include <xapian.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <unordered_map>
#include <vector>

struct xc_database {
    // A WritableDatabase is-a Database, so one pointer serves both; the flag
    // says which it really is.  Database's destructor is virtual.
    Xapian::Database *db = nullptr;
    bool writable = false;
    std::string path; // only for error messages
    std::string err;

    Xapian::WritableDatabase &wdb()
    {
        return *static_cast<Xapian::WritableDatabase *>(db);
    }
};

struct xc_document {
    Xapian::Document doc;
    std::string err;
};

struct xc_query {
    Xapian::Query q;
};

struct xc_stemmer {
    explicit xc_stemmer(Xapian::Stem s) : stem(std::move(s))
    {
    }
    Xapian::Stem stem;
    // xc_stemmer_create_cached: word -> stem for words already seen, since
    // the same words come back all the time (the same English words in
    // every talk) and Snowball costs far more than a hash lookup.
    std::unique_ptr<std::unordered_map<std::string, std::string>> cache;
    size_t cache_max = 0;
};

struct xc_enquire {
    explicit xc_enquire(const Xapian::Database &database) : enq(database), db(database)
    {
    }
    Xapian::Enquire enq;
    // Enquire does not give its database back; xc_enquire_expand's decider
    // needs it for term frequencies.  A Database is a reference-counted
    // handle, so this copy is cheap and sees what the enquire sees.
    Xapian::Database db;
    std::string err;
};

struct xc_mset {
    Xapian::MSet mset;
    // Error text is not part of the result, and xc_mset_get_docid/_weight
    // take a const handle yet must still record their failures.
    mutable std::string err;
};

namespace xc
{

// Counts the entries of one value slot over the documents a match visits.
// Unlike Xapian::ValueCountMatchSpy, a value may hold several entries split
// by a separator byte (several speakers in one slot, since Xapian 1.4 has
// one value per slot); each distinct entry counts once per document.
// Counts accumulate over every match the spy takes part in.
// Only for local databases: a remote server would need this class
// registered on its side, and we do not implement the serialisation.
class MultiValueCountSpy final : public Xapian::MatchSpy
{
  public:
    MultiValueCountSpy(Xapian::valueno slot, char separator) : slot_(slot), separator_(separator)
    {
    }
    void operator()(const Xapian::Document &doc, double wt) override;
    std::string name() const override
    {
        return "confsearch::MultiValueCountSpy";
    }
    std::string get_description() const override;

    Xapian::doccount total() const
    {
        return total_;
    }
    // std::less<> lets operator() look entries up by string_view without
    // building a std::string for every entry of every document.
    const std::map<std::string, Xapian::doccount, std::less<>> &counts() const
    {
        return counts_;
    }

  private:
    Xapian::valueno slot_;
    char separator_;
    Xapian::doccount total_ = 0;
    std::map<std::string, Xapian::doccount, std::less<>> counts_;
    std::vector<std::string_view> scratch_; // reused so a match does not allocate per document
};

// Records the id of every document a match visits, and nothing else: the
// facet values are read afterwards, a slot at a time, by streaming it in
// document order (see xc_matchspy_docids in xapian-c.h).
class DocidSpy final : public Xapian::MatchSpy
{
  public:
    void operator()(const Xapian::Document &doc, double) override
    {
        docids_.push_back(doc.get_docid());
    }
    std::string name() const override
    {
        return "confsearch::DocidSpy";
    }
    std::string get_description() const override
    {
        return "DocidSpy(" + std::to_string(docids_.size()) + " docs seen)";
    }
    const std::vector<Xapian::docid> &docids() const
    {
        return docids_;
    }
    // A match visits documents in id order, so this rarely has to sort.
    const std::vector<Xapian::docid> &sorted_docids()
    {
        if (!std::is_sorted(docids_.begin(), docids_.end()))
            std::sort(docids_.begin(), docids_.end());
        return docids_;
    }

  private:
    std::vector<Xapian::docid> docids_;
};

} // namespace xc

struct xc_matchspy {
    xc_matchspy(Xapian::valueno slot, char separator) : spy(slot, separator)
    {
    }
    // Enquire::add_matchspy takes a raw pointer to this and never owns it:
    // the C caller keeps the xc_matchspy alive for as long as any enquire
    // that has it (xapian-c.h says so), and xc_matchspy_destroy frees it.
    xc::MultiValueCountSpy spy;
    // Set for a docids spy (xc_matchspy_docids_create): then it is the one
    // given to the enquire, and spy above stays unused.
    std::unique_ptr<xc::DocidSpy> docids;

    Xapian::MatchSpy *active()
    {
        return docids ? static_cast<Xapian::MatchSpy *>(docids.get()) : &spy;
    }
};

namespace xc
{

// Must be called from inside a catch handler: rethrows the exception in
// flight, maps it to a status (most specific type first) and, if err is not
// NULL, stores "<ErrorType>: <message>" there.  Never throws.
xc_status_t status_from_current_exception(std::string *err) noexcept;

// Appends " (<context>)" to err; if building the context throws, err keeps
// the plain message.  Never throws.
template <typename Context> void append_context(std::string *err, Context &&context) noexcept
{
    if (!err)
        return;
    try {
        std::string text = context();
        if (!text.empty())
            *err += " (" + text + ")";
    } catch (...) {
    }
}

// The body of every extern "C" function that can fail runs inside run():
// one try block, with the catch list written once, in
// status_from_current_exception.  err (may be NULL) is cleared first so
// that *_status_string always describes the latest call.  body returns
// an xc_status_t.
template <typename Body> xc_status_t run(std::string *err, Body &&body) noexcept
{
    if (err)
        err->clear();
    try {
        return body();
    } catch (...) {
        return status_from_current_exception(err);
    }
}

// As above, and context() (only called on failure, so it may be costly:
// a query description, say) says what the call was working on.
template <typename Context, typename Body>
xc_status_t run(std::string *err, Context &&context, Body &&body) noexcept
{
    if (err)
        err->clear();
    try {
        return body();
    } catch (...) {
        xc_status_t status = status_from_current_exception(err);
        append_context(err, context);
        return status;
    }
}

// Records a failure detected by the library itself rather than by Xapian.
xc_status_t fail(std::string *err, xc_status_t status, const char *message) noexcept;

// A malloc'd, NUL-terminated copy of s (which may contain NULs) for the
// caller to free().  Throws std::bad_alloc, which run() maps.
char *dup_for_caller(const std::string &s);

// Hands a constructor's error text to the caller's char **errmsg (NULL if
// errmsg is NULL or the copy fails).  Never throws.
void give_errmsg(char **errmsg, const std::string &message) noexcept;

// The raw value of an enum argument.  C lets a caller pass any int there,
// but in C++ loading a value outside the enum's range is undefined (UBSan
// flags it), so switches on caller-supplied enums read the bits instead.
template <typename E> std::underlying_type_t<E> raw_enum(const E &e) noexcept
{
    std::underlying_type_t<E> raw;
    std::memcpy(&raw, &e, sizeof raw);
    return raw;
}

// A byte string argument: NULL is allowed only for the empty string.
inline bool bytes_ok(const char *p, size_t len)
{
    return p != nullptr || len == 0;
}
inline std::string bytes(const char *p, size_t len)
{
    return p ? std::string(p, len) : std::string();
}

// "label 'value'", for the context of error messages.
std::string quoted(std::string_view label, std::string_view value);

} // namespace xc

#endif // XC_INTERNAL_H
