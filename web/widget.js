// widget.js: <confsearch-box endpoint="https://search.example.org">, a search
// box with a results dropdown that any site can embed with two lines.
// Everything lives in an open shadow root styled by a constructed stylesheet,
// so the host page's CSS cannot reach in, ours cannot leak out, and a strict
// Content-Security-Policy (no inline styles, no eval) does not get in the way.
// See docs/widget.md.
(() => {
  'use strict';

  if (typeof customElements === 'undefined' || customElements.get('confsearch-box')) return;

  const STRINGS = {
    'zh-Hant': {
      label: '搜尋議程',
      placeholder: '搜尋議程共筆…',
      searching: '搜尋中…',
      none: '沒有符合的議程',
      count: (n) => `找到 ${n} 場議程`,
      all: (n) => `查看全部 ${n} 筆結果`,
      unavailable: '搜尋暫時無法使用',
      failed: '無法連線到搜尋服務',
      noEndpoint: '未設定 endpoint 屬性',
      day: (d) => `第 ${d} 天`,
    },
    en: {
      label: 'Search talks',
      placeholder: 'Search the talk notes…',
      searching: 'Searching…',
      none: 'No talks match',
      count: (n) => (n === 1 ? '1 talk found' : `${n} talks found`),
      all: (n) => `See all ${n} results`,
      unavailable: 'Search is unavailable right now',
      failed: 'Cannot reach the search service',
      noEndpoint: 'The endpoint attribute is not set',
      day: (d) => `Day ${d}`,
    },
  };

  const CSS = `
:host {
  --_accent: var(--confsearch-accent, #0d6b80);
  --_bg: var(--confsearch-bg, #ffffff);
  --_fg: var(--confsearch-fg, #18212b);
  --_muted: var(--confsearch-muted, #5b6675);
  --_border: var(--confsearch-border, #d4dbe2);
  --_radius: var(--confsearch-radius, 10px);
  --_mark: var(--confsearch-mark-bg, #ffe27a);
  --_hover: var(--confsearch-hover-bg, color-mix(in srgb, var(--_accent) 10%, var(--_bg)));
  display: block;
  position: relative;
  max-width: var(--confsearch-width, 36rem);
  font-family: var(--confsearch-font, system-ui, -apple-system, "Segoe UI", "Noto Sans TC",
    "PingFang TC", "Microsoft JhengHei", "WenQuanYi Micro Hei", sans-serif);
  font-size: var(--confsearch-font-size, 16px);
  line-height: 1.5;
  color: var(--_fg);
  text-align: start;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.field { position: relative; }
.icon {
  position: absolute; left: 0.75em; top: 50%; width: 1.15em; height: 1.15em;
  transform: translateY(-50%); color: var(--_muted); pointer-events: none;
}
input {
  width: 100%; margin: 0; font: inherit; color: var(--_fg); background: var(--_bg);
  padding: 0.6em 0.8em 0.6em 2.3em;
  border: 1px solid var(--_border); border-radius: var(--_radius);
  -webkit-appearance: none; appearance: none;
}
input:focus { outline: 2px solid var(--_accent); outline-offset: 1px; border-color: var(--_accent); }
input::placeholder { color: var(--_muted); }
.label {
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap;
}
.panel {
  position: absolute; z-index: var(--confsearch-z-index, 1000); left: 0; right: 0;
  top: calc(100% + 4px); background: var(--_bg); color: var(--_fg);
  border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: 0 10px 30px rgb(0 0 0 / 16%); overflow: hidden;
}
.panel[hidden] { display: none; }
ul { list-style: none; margin: 0; padding: 0.3em; max-height: var(--confsearch-max-height, 26em); overflow-y: auto; }
li { margin: 0; }
.option {
  display: block; padding: 0.55em 0.7em; border-radius: calc(var(--_radius) - 4px);
  color: inherit; text-decoration: none; cursor: pointer;
}
.option:hover, .option[aria-selected="true"] { background: var(--_hover); }
.option[aria-selected="true"] { box-shadow: inset 3px 0 0 var(--_accent); }
.title { display: block; font-weight: 600; line-height: 1.35; }
.meta { display: block; margin-top: 0.1em; color: var(--_muted); font-size: 0.82em; }
.snippet {
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
  margin-top: 0.2em; font-size: 0.85em; color: color-mix(in srgb, var(--_fg) 80%, var(--_muted));
}
mark { background: var(--_mark); color: inherit; border-radius: 2px; padding: 0 0.1em; }
.status { margin: 0; padding: 0.6em 1em; color: var(--_muted); font-size: 0.85em; }
.status:empty { display: none; }
.all {
  display: block; padding: 0.55em 1em; border-top: 1px solid var(--_border);
  color: var(--_accent); font-size: 0.88em; font-weight: 600; text-decoration: none;
}
.all:hover, .all:focus-visible { background: var(--_hover); }
.all[hidden] { display: none; }
`;

  // One sheet shared by every box on the page.  adoptedStyleSheets is what
  // makes a CSP without 'unsafe-inline' styles work; a <style> element is the
  // fallback for browsers without constructable stylesheets.
  let sheet = null;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  } catch {
    sheet = null;
  }

  const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (s) => s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      const cp = /x/i.test(name[1]) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

  // Marked text (a snippet, a title) is escaped text with <mark> tags: read
  // as such, never parsed as HTML, so no other markup can come through.
  function snippetNodes(parent, html) {
    let marked = false;
    for (const part of String(html || '').split(/(<mark>|<\/mark>)/)) {
      if (part === '<mark>') marked = true;
      else if (part === '</mark>') marked = false;
      else if (part) {
        const text = document.createTextNode(decode(part));
        if (marked) {
          const m = document.createElement('mark');
          m.append(text);
          parent.append(m);
        } else {
          parent.append(text);
        }
      }
    }
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function searchIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'icon');
    svg.setAttribute('aria-hidden', 'true');
    const c = document.createElementNS(ns, 'circle');
    for (const [k, v] of [['cx', '10.5'], ['cy', '10.5'], ['r', '6.5'], ['fill', 'none'],
      ['stroke', 'currentColor'], ['stroke-width', '2']]) c.setAttribute(k, v);
    const p = document.createElementNS(ns, 'path');
    for (const [k, v] of [['d', 'M15.5 15.5L21 21'], ['stroke', 'currentColor'],
      ['stroke-width', '2'], ['stroke-linecap', 'round']]) p.setAttribute(k, v);
    svg.append(c, p);
    return svg;
  }

  let instances = 0;

  class ConfsearchBox extends HTMLElement {
    static get observedAttributes() {
      return ['endpoint', 'placeholder', 'lang', 'results', 'link-pattern'];
    }

    constructor() {
      super();
      const uid = `csb${++instances}`;
      this._seq = 0;
      this._abort = null;
      this._timer = 0;
      this._active = -1;
      this._options = [];
      const root = this.attachShadow({ mode: 'open' });
      if (sheet) root.adoptedStyleSheets = [sheet];
      else root.append(el('style', '', CSS));

      const field = el('div', 'field');
      field.setAttribute('part', 'field');
      this._label = el('label', 'label');
      this._label.htmlFor = `${uid}-input`;
      this._input = el('input');
      this._input.id = `${uid}-input`;
      this._input.type = 'search';
      this._input.autocomplete = 'off';
      this._input.spellcheck = false;
      this._input.setAttribute('part', 'input');
      this._input.setAttribute('role', 'combobox');
      this._input.setAttribute('aria-autocomplete', 'list');
      this._input.setAttribute('aria-expanded', 'false');
      this._input.setAttribute('aria-controls', `${uid}-list`);
      this._input.setAttribute('enterkeyhint', 'search');

      this._panel = el('div', 'panel');
      this._panel.setAttribute('part', 'dropdown');
      this._panel.hidden = true;
      this._status = el('p', 'status');
      this._status.setAttribute('role', 'status');
      this._status.setAttribute('aria-live', 'polite');
      this._list = el('ul');
      this._list.id = `${uid}-list`;
      this._list.setAttribute('role', 'listbox');
      this._all = el('a', 'all');
      this._all.hidden = true;
      this._all.setAttribute('part', 'all-results');
      this._panel.append(this._status, this._list, this._all);
      field.append(this._label, searchIcon(), this._input, this._panel);
      root.append(field);
      this._uid = uid;

      this._input.addEventListener('input', () => this._schedule());
      this._input.addEventListener('keydown', (ev) => this._onKey(ev));
      this._input.addEventListener('focus', () => {
        if (this._options.length || this._status.textContent) this._open(true);
      });
      // Closing on focus leaving the element (including its shadow root).
      this.addEventListener('focusout', () => setTimeout(() => {
        if (!this.matches(':focus-within')) this._open(false);
      }, 0));
      this._list.addEventListener('mousedown', (ev) => ev.preventDefault());
    }

    connectedCallback() {
      this._render();
    }

    attributeChangedCallback() {
      this._render();
    }

    get _strings() {
      const own = (this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') ||
        navigator.language || 'en').toLowerCase();
      return own.startsWith('zh') ? STRINGS['zh-Hant'] : STRINGS.en;
    }

    get _endpoint() {
      const raw = (this.getAttribute('endpoint') || '').trim();
      if (!raw) return null;
      try {
        const url = new URL(raw, document.baseURI);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
        return url.href.replace(/\/+$/, '');
      } catch {
        return null;
      }
    }

    get _count() {
      const n = Number.parseInt(this.getAttribute('results') || '5', 10);
      return Number.isFinite(n) ? Math.min(Math.max(n, 1), 20) : 5;
    }

    _link(id, q) {
      const endpoint = this._endpoint;
      const pattern = this.getAttribute('link-pattern') || `${endpoint}/?talk={id}`;
      const href = pattern
        .replaceAll('{id}', encodeURIComponent(id))
        .replaceAll('{q}', encodeURIComponent(q));
      try {
        const url = new URL(href, document.baseURI);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
      } catch {
        return null;
      }
    }

    _render() {
      const s = this._strings;
      this._label.textContent = s.label;
      this._input.placeholder = this.getAttribute('placeholder') || s.placeholder;
      this._input.setAttribute('aria-label', this.getAttribute('placeholder') || s.label);
      this._list.setAttribute('aria-label', s.label);
      this._input.disabled = !this._endpoint;
      if (!this._endpoint) this._input.placeholder = s.noEndpoint;
    }

    _schedule() {
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this._search(), 200);
    }

    _open(open) {
      this._panel.hidden = !open;
      this._input.setAttribute('aria-expanded', String(open && this._options.length > 0));
      if (!open) this._select(-1);
    }

    // The newest keystroke wins: earlier requests are aborted, and the
    // sequence number drops any answer that was already on its way.
    async _search() {
      const q = this._input.value.trim();
      const endpoint = this._endpoint;
      this._abort?.abort();
      const seq = ++this._seq;
      const s = this._strings;
      if (!q || !endpoint) {
        this._show([], '', 0, q);
        this._open(false);
        return;
      }
      const ctl = new AbortController();
      this._abort = ctl;
      const slow = setTimeout(() => {
        if (seq === this._seq) {
          this._status.textContent = s.searching;
          this._open(true);
        }
      }, 600);
      try {
        const url = new URL(`${endpoint}/api/search`);
        url.searchParams.set('q', q);
        url.searchParams.set('size', String(this._count));
        url.searchParams.set('facets', '');
        const res = await fetch(url, { signal: ctl.signal, credentials: 'omit', mode: 'cors' });
        const body = await res.json().catch(() => null);
        if (seq !== this._seq) return;
        if (!res.ok) {
          this._show([], res.status === 503 ? s.unavailable
            : (body && body.error && body.error.message) || s.failed, 0, q);
        } else {
          this._show(body.hits || [], body.total ? s.count(body.total) : s.none, body.total || 0, q);
        }
      } catch (e) {
        if (e.name === 'AbortError' || seq !== this._seq) return;
        this._show([], s.failed, 0, q);
      } finally {
        clearTimeout(slow);
      }
      if (seq === this._seq && this.matches(':focus-within')) this._open(true);
    }

    _show(hits, status, total, q) {
      const s = this._strings;
      this._status.textContent = status;
      this._options = [];
      this._active = -1;
      this._input.removeAttribute('aria-activedescendant');
      const items = [];
      hits.forEach((hit, i) => {
        const href = this._link(hit.id, q);
        const li = el('li');
        const a = el('a', 'option');
        a.id = `${this._uid}-opt-${i}`;
        a.setAttribute('role', 'option');
        a.setAttribute('aria-selected', 'false');
        a.setAttribute('part', 'result');
        a.tabIndex = -1;
        if (href) a.href = href;
        // searchd marks the query's words in the title (docs/api.md
        // "marked"): the box only renders them, as the search page does.
        const title = el('span', 'title');
        if (hit.marked && hit.marked.title) snippetNodes(title, hit.marked.title);
        else title.textContent = hit.title || hit.id;
        a.append(title);
        const speakers = (hit.speakers && hit.speakers.length ? hit.speakers : [hit.speaker])
          .filter(Boolean).join(', ');
        const when = [hit.day != null ? s.day(hit.day) : '', hit.time, hit.room].filter(Boolean).join(' · ');
        a.append(el('span', 'meta', [speakers, when].filter(Boolean).join(' — ')));
        if (hit.snippet) {
          const sn = el('span', 'snippet');
          snippetNodes(sn, hit.snippet);
          a.append(sn);
        }
        a.addEventListener('mouseenter', () => this._select(i));
        li.append(a);
        items.push(li);
        this._options.push(a);
      });
      this._list.replaceChildren(...items);
      this._list.hidden = items.length === 0;
      const endpoint = this._endpoint;
      if (endpoint && total > hits.length) {
        this._all.href = `${endpoint}/?q=${encodeURIComponent(q)}`;
        this._all.textContent = `${s.all(total)} →`;
        this._all.hidden = false;
      } else {
        this._all.hidden = true;
      }
      this._input.setAttribute('aria-expanded', String(this._options.length > 0 && !this._panel.hidden));
    }

    _select(i) {
      this._active = i;
      this._options.forEach((o, k) => o.setAttribute('aria-selected', String(k === i)));
      if (i >= 0 && this._options[i]) {
        this._input.setAttribute('aria-activedescendant', this._options[i].id);
        this._options[i].scrollIntoView({ block: 'nearest' });
      } else {
        this._input.removeAttribute('aria-activedescendant');
      }
    }

    _onKey(ev) {
      if (ev.isComposing) return;
      const n = this._options.length;
      switch (ev.key) {
        case 'ArrowDown':
          ev.preventDefault();
          if (this._panel.hidden) this._open(true);
          if (n) this._select(this._active + 1 >= n ? 0 : this._active + 1);
          break;
        case 'ArrowUp':
          ev.preventDefault();
          if (n) this._select(this._active <= 0 ? n - 1 : this._active - 1);
          break;
        case 'Home':
        case 'End':
          if (!this._panel.hidden && n && this._active >= 0) {
            ev.preventDefault();
            this._select(ev.key === 'Home' ? 0 : n - 1);
          }
          break;
        case 'Enter': {
          const a = this._options[this._active];
          if (a && a.href) {
            ev.preventDefault();
            a.click();
          } else {
            ev.preventDefault();
            clearTimeout(this._timer);
            this._search();
          }
          break;
        }
        case 'Escape':
          ev.preventDefault();
          if (!this._panel.hidden) this._open(false);
          else if (this._input.value) {
            this._input.value = '';
            this._search();
          }
          break;
        default:
      }
    }
  }

  customElements.define('confsearch-box', ConfsearchBox);
})();
