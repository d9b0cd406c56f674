// markup.js: the only place where API text becomes marked-up DOM.  searchd
// marks the query's words itself (snippets, hits' titles and speakers, the
// talk view: docs/api.md "marked"), with the analysis the index uses; the
// page only renders that.  Marked text is escaped text whose only tags are
// <mark> and </mark>; it is read as text with those two tokens, never
// parsed as HTML, so if the server ever sent other markup it would show
// up as visible text, not as elements.

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

// Marked text as [{text, marked}] pieces.
function piecesOf(html) {
  const pieces = [];
  let marked = false;
  for (const part of String(html ?? '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) pieces.push({ text: decodeEntities(part), marked });
  }
  return pieces;
}

// Web addresses in text (http and https only): [[start, end, href]].
function addresses(s) {
  const url = /https?:\/\/[^\s<>"'，。、）」]+[^\s<>"'，。、）」.,;:!?)\]]/g;
  const found = [];
  for (const m of s.matchAll(url)) {
    try {
      const u = new URL(m[0]);
      if (u.protocol === 'http:' || u.protocol === 'https:') found.push([m.index, m.index + m[0].length, u.href]);
    } catch {
      // not an address after all: stays text
    }
  }
  return found;
}

// The pieces as DOM nodes; with links, web addresses become links (made
// with DOM nodes, opened without a referrer), marks kept inside them.
function fragmentOf(pieces, links) {
  const frag = document.createDocumentFragment();
  const ranges = links ? addresses(pieces.map((p) => p.text).join('')) : [];
  let pos = 0;
  let r = 0;
  let anchor = null;
  const put = (text, marked) => {
    const parent = anchor ?? frag;
    if (!marked) {
      parent.append(text);
      return;
    }
    const m = document.createElement('mark');
    m.textContent = text;
    parent.append(m);
  };
  for (const piece of pieces) {
    const end = pos + piece.text.length;
    let at = pos;
    while (at < end) {
      if (anchor && at >= ranges[r][1]) {
        frag.append(anchor);
        anchor = null;
        r++;
      }
      if (!anchor && r < ranges.length && at === ranges[r][0]) {
        anchor = document.createElement('a');
        anchor.href = ranges[r][2];
        anchor.rel = 'noopener noreferrer';
        anchor.target = '_blank';
      }
      let next = end;
      if (anchor) next = Math.min(next, ranges[r][1]);
      else if (r < ranges.length) next = Math.min(next, ranges[r][0]);
      put(piece.text.slice(at - pos, next - pos), piece.marked);
      at = next;
    }
    pos = end;
  }
  if (anchor) frag.append(anchor);
  return frag;
}

// Marked text (a snippet, a hit's title) as DOM nodes.
export function markedFragment(html, { links = false } = {}) {
  return fragmentOf(piecesOf(html), links);
}

// Text the server did not mark (no query) as DOM nodes, addresses as links.
export function textFragment(text, { links = false } = {}) {
  const s = String(text ?? '');
  return fragmentOf(s ? [{ text: s, marked: false }] : [], links);
}
