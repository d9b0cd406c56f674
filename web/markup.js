// markup.js: the only places where text becomes marked-up DOM: the server's
// snippet (escaped text plus <mark>) and client-side highlighting of query
// words in titles and talk bodies.  Everything is built with DOM nodes; no
// API text is ever parsed as HTML.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      const cp = name[1] === 'x' || name[1] === 'X'
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// The snippet is escaped HTML whose only tags are <mark> and </mark>
// (docs/api.md).  Rather than trusting that, we read it as text with those
// two tokens: any other '<' would already be "&lt;", and if the server ever
// sent raw markup it would show up as visible text, not as elements.
export function snippetFragment(html) {
  const frag = document.createDocumentFragment();
  let marked = false;
  for (const part of String(html ?? '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = document.createTextNode(decodeEntities(part));
      if (marked) {
        const m = document.createElement('mark');
        m.append(text);
        frag.append(m);
      } else {
        frag.append(text);
      }
    }
  }
  return frag;
}

function fold(s) {
  return s.normalize('NFKC').toLowerCase();
}

const LETTER = /[\p{L}\p{N}_]/u;
const HAN_ETC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

// Words to highlight for a query in the API's language: quoted phrases and
// plain words, without excluded words (-x), operators and field filters.
// Returns [{text, prefix}] with text already folded.
export function queryTerms(q) {
  const terms = [];
  const src = String(q ?? '');
  const re = /(-?)(?:([a-z]+):)?(?:"([^"]*)"?|([^\s()"]+))/giy;
  let i = 0;
  while (i < src.length) {
    if (/[\s()]/.test(src[i])) {
      i++;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) {
      i++;
      continue;
    }
    i = re.lastIndex;
    const [, minus, field, phrase, word] = m;
    const known = field && /^(room|day|speaker)$/i.test(field);
    if (minus || known) continue;
    let text = phrase ?? word ?? '';
    if (field && !known) text = `${field}:${text}`;
    if (!phrase && /^(OR|AND|NOT)$/.test(text)) continue;
    const prefix = text.endsWith('*');
    text = fold(text.replace(/\*+$/, '')).trim();
    if (text) terms.push({ text, prefix });
  }
  return terms;
}

// A crude English stem: enough to mark "tests" and "testing" when the query
// says "test" (the server matches stems; exact highlighting would need its
// stemmer).
function stemOf(word) {
  if (!/^[a-z]{5,}$/.test(word)) return word;
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4)
      return word.slice(0, -suffix.length);
  }
  return word;
}

// Folds text one code point at a time, keeping for every folded UTF-16 unit
// the offset of the original code point, so that matches found in the folded
// text map back to the text as shown.
function foldWithMap(text) {
  let folded = '';
  const from = [];
  const to = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i);
    const len = cp > 0xffff ? 2 : 1;
    const f = fold(text.slice(i, i + len));
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + len);
    }
    folded += f;
    i += len;
  }
  return { folded, from, to };
}

function isWordChar(ch) {
  return ch !== undefined && LETTER.test(ch) && !HAN_ETC.test(ch);
}

// Ranges [start, end) of text to mark for the terms, merged and sorted.
export function matchRanges(text, terms) {
  if (!terms.length || !text) return [];
  const { folded, from, to } = foldWithMap(text);
  const ranges = [];
  for (const term of terms) {
    const cjk = HAN_ETC.test(term.text);
    const needle = cjk ? term.text : stemOf(term.text);
    let at = 0;
    for (;;) {
      const k = folded.indexOf(needle, at);
      if (k < 0) break;
      at = k + 1;
      // Latin words match from a word start ("python" not inside "cpython")
      // to a word end, allowing the inflections the server's stemmer folds
      // ("twist" marks "twisted"); a prefix query runs on to the word's end.
      if (!cjk && isWordChar(needle[0]) && isWordChar(folded[k - 1])) continue;
      let end = k + needle.length;
      if (!cjk && isWordChar(needle[needle.length - 1]) && isWordChar(folded[end])) {
        if (term.prefix) {
          while (isWordChar(folded[end])) end++;
        } else {
          const suffix = /^(?:s|es|ed|d|ing|er|ers)(?![\p{L}\p{N}_])/u.exec(folded.slice(end, end + 4));
          if (!suffix) continue;
          end += suffix[0].length;
        }
      }
      ranges.push([from[k], to[end - 1]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

// Text nodes with the query's words wrapped in <mark>.
export function highlighted(text, terms) {
  const frag = document.createDocumentFragment();
  const s = String(text ?? '');
  let at = 0;
  for (const [a, b] of matchRanges(s, terms)) {
    if (a > at) frag.append(s.slice(at, a));
    const m = document.createElement('mark');
    m.textContent = s.slice(a, b);
    frag.append(m);
    at = b;
  }
  if (at < s.length) frag.append(s.slice(at));
  return frag;
}

// Body text with highlights and with web addresses as links (http and https
// only, made from the text with DOM nodes, opened without a referrer).
export function bodyFragment(text, terms) {
  const frag = document.createDocumentFragment();
  const s = String(text ?? '');
  const url = /https?:\/\/[^\s<>"'，。、）」]+[^\s<>"'，。、）」.,;:!?)\]]/g;
  let at = 0;
  for (const m of s.matchAll(url)) {
    if (m.index > at) frag.append(highlighted(s.slice(at, m.index), terms));
    let href = null;
    try {
      const u = new URL(m[0]);
      if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
    } catch {
      href = null;
    }
    if (href) {
      const a = document.createElement('a');
      a.href = href;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      a.append(highlighted(m[0], terms));
      frag.append(a);
    } else {
      frag.append(highlighted(m[0], terms));
    }
    at = m.index + m[0].length;
  }
  if (at < s.length) frag.append(highlighted(s.slice(at), terms));
  return frag;
}
