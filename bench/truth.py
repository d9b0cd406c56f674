#!/usr/bin/env python3
"""bench/truth.py: does confsearch find every talk it should?

For each query of the bench's mix (gen_corpus --queries), computes by brute
force the set of talks that match it in the generated notes, asks
confsearchd for all of the talks it matches (/api/search, 100 a page), and
prints per query the truth's count, confsearch's, the talks missed and the
extra ones, with the text around the first occurrence of a few missed
talks, then a summary line.  Exit status: 0 when no talk is missed and every
CJK query's count is exact, 1 otherwise, 2 on a usage or connection error.

    bench/truth.py --queries DIR/queries.tsv --talks DIR/talks.omega \\
        --url http://127.0.0.1:18431

The talks are read from gen_corpus --omega (scriptindex input: id, room,
title, speakers and body of each talk, exactly as generated).

What counts as a match (the way Sphinx and Omega's scriptindex count words,
not confsearch's analysis):
  - Text and query are folded alike: NFKC, then case folding.
  - A Latin word or compound (`python`, `mock.patch`, `MAX_WORKERS`, a URL)
    matches where the query's text stands delimited: the character before
    it and the one after it are not letters (digits too, on a side where
    the query's own edge is a digit).  Han, kana and Hangul count as
    delimiters, as in Sphinx's ngram_chars and scriptindex's CJK n-grams,
    so `用Python寫` holds `python`.  A leading `@` or `#` of a query word
    is dropped (`@my_handle` is the handle `my_handle`).
  - A query word of CJK characters only (Han, kana, Hangul) matches as a
    substring (`분석` in `데이터분석`); the same script only: Simplified
    `测试` does not find Traditional `測試` (no OpenCC conversion yet).
  - `"a b"`: the words in order, separated only by characters that are
    neither letters nor digits.  `multi*`: a word that starts with multi.
  - Words of a query are AND-ed; `room=` restricts to that room.
  - Each field (title, each speaker, body) is searched on its own.
confsearch may find more (stems: `workers` finds `worker`; a compound query
also finds its parts scattered, as schema/README.md says), so extra talks
are reported but only missed ones, and any CJK difference, fail the check.
"""
import argparse
import json
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

CLASSES = [
    # label prefix -> class; first match wins
    ("en-", "word"),
    ("two-word", "word"),
    ("filter", "word"),
    ("part-", "compound-part"),
    ("cmp-", "compound"),
    ("zh-", "cjk"),
    ("ko-", "cjk"),
    ("hans-", "cjk"),
    ("mixed-", "cjk+word"),
    ("phrase", "phrase"),
    ("prefix", "prefix"),
    ("browse", "browse"),
]
CLASS_ORDER = ["word", "compound-part", "compound", "cjk", "cjk+word", "phrase", "prefix", "browse", "other"]


def query_class(label):
    for prefix, cls in CLASSES:
        if label.startswith(prefix):
            return cls
    return "other"


def is_cjk(c):
    o = ord(c)
    return (
        0x1100 <= o <= 0x11FF  # Hangul Jamo
        or 0x2E80 <= o <= 0x2FDF  # CJK radicals
        or 0x3040 <= o <= 0x31FF  # kana, bopomofo, Hangul compatibility jamo
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xA960 <= o <= 0xA97F
        or 0xAC00 <= o <= 0xD7FF  # Hangul syllables and jamo extended B
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
    )


_letter_cache = {}


def is_letter(c):
    """A letter of a word-forming script: Latin and the like, not CJK
    (which delimits Latin words, as in the peers)."""
    r = _letter_cache.get(c)
    if r is None:
        cat = unicodedata.category(c)
        r = (cat[0] == "L" or cat[0] == "M") and not is_cjk(c)
        _letter_cache[c] = r
    return r


def is_alnum(c):
    return is_letter(c) or unicodedata.category(c) == "Nd"


def fold(s):
    return unicodedata.normalize("NFKC", s).casefold()


def edge_ok(text, i, query_edge_char):
    """May the character text[i] (i may be out of range) stand next to a
    query whose edge character is query_edge_char?"""
    if i < 0 or i >= len(text):
        return True
    c = text[i]
    if query_edge_char.isdigit():
        return not is_alnum(c)
    if is_letter(query_edge_char):
        return not is_letter(c)
    return True  # the query's edge is punctuation: anything may touch it


def find_word(text, w, start=0, prefix=False):
    """Index of the first delimited occurrence of w in text from start, or -1."""
    i = text.find(w, start)
    while i >= 0:
        if edge_ok(text, i - 1, w[0]) and (prefix or edge_ok(text, i + len(w), w[-1])):
            return i
        i = text.find(w, i + 1)
    return -1


def find_phrase(text, words):
    i = find_word(text, words[0])
    while i >= 0:
        at = i + len(words[0])
        ok = True
        for w in words[1:]:
            j = at
            while j < len(text) and not is_alnum(text[j]) and not is_cjk(text[j]):
                j += 1
            if j == at or not text.startswith(w, j) or not edge_ok(text, j + len(w), w[-1]):
                ok = False
                break
            at = j + len(w)
        if ok:
            return i
        i = find_word(text, words[0], i + 1)
    return -1


def parse_query(q):
    """A list of (kind, value) terms, AND-ed: ('word', w), ('cjk', s),
    ('prefix', p), ('phrase', [w...])."""
    terms, i = [], 0
    q = fold(q)
    while i < len(q):
        if q[i].isspace():
            i += 1
            continue
        if q[i] == '"':
            j = q.find('"', i + 1)
            j = len(q) if j < 0 else j
            words = q[i + 1 : j].split()
            terms.append(("phrase", words) if len(words) > 1 else ("word", words[0]))
            i = j + 1
            continue
        j = i
        while j < len(q) and not q[j].isspace():
            j += 1
        w = q[i:j].lstrip("@#")
        i = j
        if w == "or" or w.startswith("-") or w.split(":")[0] in ("room", "day", "speaker", "conference"):
            raise ValueError("truth.py: unsupported query syntax: %r" % q)
        if all(is_cjk(c) for c in w):
            terms.append(("cjk", w))
        elif any(is_cjk(c) for c in w):
            raise ValueError("truth.py: a word mixing CJK and Latin is not supported: %r" % w)
        elif w.endswith("*"):
            terms.append(("prefix", w[:-1]))
        else:
            terms.append(("word", w))
    return terms


def term_at(fields, term):
    """The first field and position where term matches, or None."""
    kind, v = term
    for f in fields:
        if kind == "cjk":
            i = f.find(v)
        elif kind == "word":
            i = find_word(f, v)
        elif kind == "prefix":
            i = find_word(f, v, prefix=True)
        else:
            i = find_phrase(f, v)
        if i >= 0:
            return f, i
    return None


def read_talks(path):
    """gen_corpus --omega: field=value lines, '=' continues the previous
    field, a blank line ends a record."""
    talks = []
    rec, last = {}, None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line == "":
                if rec:
                    talks.append(rec)
                rec, last = {}, None
                continue
            key, _, val = line.partition("=")
            if key == "" and last:
                rec[last][-1] += "\n" + val
            else:
                rec.setdefault(key, []).append(val)
                last = key
    if rec:
        talks.append(rec)
    out = []
    for t in talks:
        fields = [fold(t.get("title", [""])[0])] + [fold(s) for s in t.get("speaker", [])]
        fields.append(fold(t.get("body", [""])[0]))
        out.append({"id": t["id"][0], "room": t.get("room", [""])[0], "fields": fields})
    return out


def fetch_ids(base, path, timeout):
    """Every talk id confsearchd answers for path (/api/search?q=...)."""
    ids, page, total = [], 1, None
    sep = "&" if "?" in path else "?"
    while True:
        url = "%s%s%ssize=100&page=%d&facets=" % (base, path, sep, page)
        with urllib.request.urlopen(url, timeout=timeout) as r:
            ans = json.load(r)
        if total is None:
            total = ans["total"]
            if ans.get("approximate"):
                raise RuntimeError("approximate total for %s" % path)
        ids.extend(h["id"] for h in ans["hits"])
        if len(ids) >= total or not ans["hits"] or page >= 1000:
            break
        page += 1
    got = set(ids)
    if len(got) != len(ids) or len(got) != total:
        print("truth: %s: %d ids (%d distinct) for a total of %d" % (path, len(ids), len(got), total), file=sys.stderr)
    return got


def context(field, i, n=30):
    s = field[max(0, i - n) : i + n].replace("\n", " ")
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--queries", required=True, help="gen_corpus --queries file")
    ap.add_argument("--talks", required=True, help="gen_corpus --omega file")
    ap.add_argument("--url", required=True, help="confsearchd base URL, e.g. http://127.0.0.1:18431")
    ap.add_argument("--examples", type=int, default=3, help="missed talks shown per query (default 3)")
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    if not (a.url.startswith("http://127.") or a.url.startswith("http://localhost")):
        print("truth.py: only a local confsearchd (http://127.x.x.x or localhost) is queried", file=sys.stderr)
        return 2

    t0 = time.time()
    talks = read_talks(a.talks)
    queries = []
    with open(a.queries, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1].startswith("/api/search"):
                queries.append((cols[0], cols[1]))
    print("truth: %d talks, %d queries (%.1f s to read)" % (len(talks), len(queries), time.time() - t0))
    print("%-14s %-26s %7s %7s %7s %7s" % ("class", "query", "truth", "conf", "missed", "extra"))

    missed_by_class, cjk_inexact, n_missed_queries = {}, [], 0
    for label, path in queries:
        cls = query_class(label)
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        q = params.get("q", [""])[0]
        room = params.get("room", [None])[0]
        terms = parse_query(q)
        truth, where = set(), {}
        for t in talks:
            if room is not None and t["room"] != room:
                continue
            ok, first = True, None
            for term in terms:
                at = term_at(t["fields"], term)
                if at is None:
                    ok = False
                    break
                first = first or at
            if ok:
                truth.add(t["id"])
                if first:
                    where[t["id"]] = first
        try:
            conf = fetch_ids(a.url, path, a.timeout)
        except (urllib.error.URLError, OSError, RuntimeError, ValueError) as e:
            print("truth.py: %s: %s" % (path, e), file=sys.stderr)
            return 2
        missed, extra = truth - conf, conf - truth
        print("%-14s %-26s %7d %7d %7d %7d" % (cls, label, len(truth), len(conf), len(missed), len(extra)))
        if missed:
            n_missed_queries += 1
            missed_by_class[cls] = missed_by_class.get(cls, 0) + len(missed)
            for tid in sorted(missed)[: a.examples]:
                f, i = where.get(tid, ("", 0))
                print("    missed %s: …%s…" % (tid, context(f, i)))
        if cls == "cjk" and extra:
            cjk_inexact.append(label)
            for tid in sorted(extra)[: a.examples]:
                print("    extra %s" % tid)

    total_missed = sum(missed_by_class.values())
    per_class = ", ".join("%s %d" % (c, missed_by_class.get(c, 0)) for c in CLASS_ORDER
                          if any(query_class(l) == c for l, _ in queries))
    print("truth summary: %d queries, %d talks missed in %d queries (%s); CJK counts %s; %.1f s"
          % (len(queries), total_missed, n_missed_queries, per_class,
             "exact" if not cjk_inexact else "NOT exact: " + " ".join(cjk_inexact), time.time() - t0))
    return 1 if total_missed or cjk_inexact else 0


if __name__ == "__main__":
    sys.exit(main())
