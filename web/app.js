// app.js: the search page: search as you type, facets, the talk view and the
// schedule grid, with all state in the URL so that links share and Back works.

import { ApiError, allHits, getJSON, searchParams } from './api.js';
import { LANGS, lang, setLang, t } from './i18n.js';
import { markedFragment, textFragment } from './markup.js';
import { renderSchedule } from './schedule.js';

const PAGE_SIZE = 10;
const MAX_PAGE = 1000; // the API's limit
const FACETS = ['conference', 'track', 'day', 'room', 'speaker'];
const SPEAKERS_SHOWN = 8;
const SEARCH_DELAY_MS = 180;
const SUGGEST_DELAY_MS = 90;
const SLOW_MS = 2000;
const CACHE_MS = 30000;

const $ = (id) => document.getElementById(id);
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const ui = {
  form: $('search-form'),
  input: $('q'),
  suggestions: $('suggestions'),
  status: $('status'),
  took: $('took'),
  didYouMean: $('did-you-mean'),
  message: $('message'),
  hits: $('hits'),
  pager: $('pager'),
  schedule: $('schedule'),
  facetGroups: $('facet-groups'),
  facets: $('facets'),
  clearAll: $('clear-all'),
  busy: $('busy-bar'),
  results: $('results'),
  viewList: $('view-list'),
  viewSchedule: $('view-schedule'),
  langSwitch: $('lang-switch'),
  home: $('home-link'),
  talk: $('talk'),
  talkConf: $('talk-conf'),
  talkTitle: $('talk-title'),
  talkMeta: $('talk-meta'),
  talkBody: $('talk-body'),
  talkSource: $('talk-source'),
  talkPermalink: $('talk-permalink'),
  talkSimilar: $('talk-similar'),
  talkSimilarList: $('talk-similar-list'),
  talkClose: $('talk-close'),
};

// A talk's or hit's title and speakers as searchd marked them for the
// query (docs/api.md "marked"), else as plain text.
function titleFragment(item) {
  return item.marked ? markedFragment(item.marked.title) : textFragment(item.title || item.id);
}

function speakersFragment(item) {
  const marked = item.marked && item.marked.speakers;
  const plain = (item.speakers && item.speakers.length ? item.speakers : [item.speaker]).filter(Boolean);
  const frag = document.createDocumentFragment();
  const names = marked && marked.length ? marked : plain;
  names.forEach((name, i) => {
    if (i) frag.append(', ');
    frag.append(marked && marked.length ? markedFragment(name) : textFragment(name));
  });
  return frag;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/* ---- state and URL ------------------------------------------------------ */

function emptyState() {
  return { q: '', conference: [], track: [], day: [], room: [], speaker: [], page: 1, view: 'list', talk: null };
}

function stateFromURL() {
  const p = new URLSearchParams(location.search);
  const s = emptyState();
  s.q = p.get('q') ?? '';
  for (const f of FACETS) s[f] = [...new Set(p.getAll(f).filter(Boolean))];
  const page = Number.parseInt(p.get('page') ?? '1', 10);
  s.page = Number.isFinite(page) ? Math.min(Math.max(page, 1), MAX_PAGE) : 1;
  s.view = p.get('view') === 'schedule' ? 'schedule' : 'list';
  s.talk = p.get('talk') || null;
  return s;
}

function urlFor(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of FACETS) for (const v of s[f]) p.append(f, v);
  if (s.page > 1) p.set('page', String(s.page));
  if (s.view !== 'list') p.set('view', s.view);
  if (s.talk) p.set('talk', s.talk);
  const qs = p.toString();
  return qs ? `${location.pathname}?${qs}` : location.pathname;
}

function hasFilters(s) {
  return FACETS.some((f) => s[f].length > 0);
}

function isBlank(s) {
  return !s.q.trim() && !hasFilters(s);
}

let state = stateFromURL();

// Every change of state is one history entry, except successive keystrokes
// of one burst of typing, which replace theirs: Back then goes to what was
// there before the typing began, not one letter back.
// openedTalk counts the talks opened one from another (a similar talk from
// a talk): closing the dialog goes back past all of them.
function navigate(next, { typing = false, openedTalk = 0 } = {}) {
  state = next;
  const entry = { typing, openedTalk };
  const url = urlFor(state);
  if (typing && history.state && history.state.typing) history.replaceState(entry, '', url);
  else history.pushState(entry, '', url);
}

function withChanges(changes) {
  return { ...state, ...changes };
}

/* ---- static text and language ------------------------------------------- */

function applyLanguage() {
  document.documentElement.lang = lang();
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-aria-label]'))
    e.setAttribute('aria-label', t(e.dataset.i18nAriaLabel));
  ui.input.placeholder = t('searchPlaceholder');
  ui.suggestions.setAttribute('aria-label', t('searchLabel'));
  const other = LANGS.find((l) => l !== lang());
  ui.langSwitch.textContent = t('switchLang');
  ui.langSwitch.lang = other;
  ui.langSwitch.setAttribute('aria-label', t('switchLangLabel'));
}

ui.langSwitch.addEventListener('click', () => {
  setLang(LANGS.find((l) => l !== lang()));
  applyLanguage();
  lastRendered = null;
  render();
  if (ui.talk.open && currentTalk) showTalk(currentTalk);
});

/* ---- busy, slow and error states ---------------------------------------- */

let slowTimer = 0;
let statusText = ''; // what the status says when no search is slow

function setBusy(busy) {
  clearTimeout(slowTimer);
  // On the list, not on #results: a busy ancestor would silence the status
  // region's "still searching".
  ui.hits.setAttribute('aria-busy', String(busy));
  ui.busy.classList.toggle('busy-on', busy);
  if (busy) {
    slowTimer = setTimeout(() => {
      ui.status.textContent = t('stillSearching');
      ui.status.classList.add('status-slow');
    }, SLOW_MS);
  } else if (ui.status.classList.contains('status-slow')) {
    setStatus(statusText); // a slow search was given up for one already shown
  }
}

function setStatus(text) {
  statusText = text;
  ui.status.textContent = text;
  ui.status.classList.remove('status-slow');
}

function errorText(e) {
  if (e instanceof ApiError) {
    if (e.status === 503) return t('errUnavailable');
    if (e.status === 400) return t('errBadQuery', e.message);
    if (e.status === 0) return t('errNetwork');
    return t('errOther', e.status);
  }
  return t('errNetwork');
}

function showMessage(kind, title, detail, actions = []) {
  ui.message.hidden = false;
  ui.message.className = `message message-${kind}`;
  ui.message.setAttribute('role', kind === 'error' ? 'alert' : 'note');
  const box = document.createDocumentFragment();
  box.append(el('p', 'message-title', title));
  if (detail) box.append(detail instanceof Node ? detail : el('p', 'message-detail', detail));
  if (actions.length) {
    const row = el('p', 'message-actions');
    row.append(...actions);
    box.append(row);
  }
  ui.message.replaceChildren(box);
}

function hideMessage() {
  ui.message.hidden = true;
  ui.message.replaceChildren();
}

/* ---- the search --------------------------------------------------------- */

const answers = new Map(); // request key -> {answer, at}
let searchSeq = 0;
let searchAbort = null;
let lastAnswer = null; // {key, state, answer} of the shown results
let lastRendered = null; // key of what the results area shows now
let lastError = null;
const dayDates = new Map(); // "1" -> "2026-03-14", learnt from every hit seen

function requestKey(s) {
  return JSON.stringify(searchParams(s, { page: s.page }));
}

function remember(key, answer) {
  answers.set(key, { answer, at: Date.now() });
  if (answers.size > 40) answers.delete(answers.keys().next().value);
  for (const h of answer.hits) if (h.day != null && h.date) dayDates.set(String(h.day), h.date);
}

// Runs the search of the current state; an answer that arrives after a newer
// search started is dropped (each call aborts the previous one, and the
// sequence number catches answers already on their way).
async function search({ force = false } = {}) {
  const s = state;
  const key = requestKey(s);
  searchAbort?.abort();
  const seq = ++searchSeq;
  if (!force && key === lastRendered && !lastError) {
    setBusy(false);
    render();
    return;
  }
  const cached = answers.get(key);
  if (!force && cached && Date.now() - cached.at < CACHE_MS) {
    setBusy(false);
    lastAnswer = { key, state: s, answer: cached.answer };
    lastError = null;
    render();
    return;
  }
  const ctl = new AbortController();
  searchAbort = ctl;
  setBusy(true);
  try {
    const params = searchParams(s, { page: s.page, size: isBlank(s) ? 1 : PAGE_SIZE });
    const answer = await getJSON('api/search', params, ctl.signal);
    if (seq !== searchSeq) return;
    remember(key, answer);
    lastAnswer = { key, state: s, answer };
    lastError = null;
  } catch (e) {
    if (e.name === 'AbortError' || seq !== searchSeq) return;
    lastError = e;
    lastAnswer = null;
  }
  setBusy(false);
  lastRendered = null;
  render();
}

function render() {
  document.title = state.q ? `${state.q} – confsearch` : 'confsearch';
  renderViewTabs();
  const scheduleView = state.view === 'schedule';
  ui.schedule.hidden = !scheduleView;
  ui.hits.hidden = scheduleView;
  if (lastError) {
    renderError(lastError);
    return;
  }
  if (!lastAnswer) return;
  renderFacets(lastAnswer.answer, state);
  if (scheduleView) {
    ui.pager.hidden = true;
    ui.didYouMean.hidden = true;
    hideMessage();
    ui.took.textContent = '';
    showSchedule();
    return;
  }
  if (lastRendered === lastAnswer.key) return;
  renderResults(lastAnswer.answer, lastAnswer.state);
  lastRendered = lastAnswer.key;
}

function renderError(e) {
  lastRendered = null;
  setStatus('');
  ui.took.textContent = '';
  ui.hits.replaceChildren();
  ui.pager.hidden = true;
  ui.didYouMean.hidden = true;
  ui.schedule.hidden = true;
  ui.facets.hidden = true;
  // A query the parser rejects is usually one still being typed ("(django"):
  // say why calmly, without an alarm or a pointless retry.
  if (e instanceof ApiError && e.status === 400) {
    showMessage('invalid', errorText(e), null);
    return;
  }
  const retry = el('button', 'button', t('retry'));
  retry.type = 'button';
  retry.addEventListener('click', () => {
    if (state.view === 'schedule') listing = null;
    search({ force: true });
  });
  showMessage('error', errorText(e), null, [retry]);
}

function dayName(day) {
  const date = dayDates.get(String(day));
  const base = t('dayLabel', day);
  return date ? `${base} · ${date.slice(5).replace('-', '/')}` : base;
}

function renderResults(answer, s) {
  const total = answer.total;
  ui.took.textContent = typeof answer.took_ms === 'number'
    ? t('tookMs', answer.took_ms < 10 ? answer.took_ms.toFixed(1) : Math.round(answer.took_ms))
    : '';

  // Did you mean
  if (answer.suggestion && answer.suggestion !== s.q) {
    const b = el('button', 'link-button', answer.suggestion);
    b.type = 'button';
    b.addEventListener('click', () => {
      ui.input.value = answer.suggestion;
      navigate(withChanges({ q: answer.suggestion, page: 1, talk: null }));
      closeSuggestions();
      search();
    });
    ui.didYouMean.replaceChildren(el('span', '', `${t('didYouMean')} `), b);
    ui.didYouMean.hidden = false;
  } else {
    ui.didYouMean.hidden = true;
  }

  if (isBlank(s)) {
    setStatus(t('total', total));
    ui.took.textContent = '';
    ui.hits.replaceChildren();
    ui.pager.hidden = true;
    showIntro(total);
    return;
  }

  const approx = answer.approximate ? t('totalApprox', total) : null;
  setStatus(approx || (s.q.trim() ? t('resultsFor', total, s.q.trim()) : t('total', total)));

  if (total === 0 || answer.hits.length === 0) {
    ui.hits.replaceChildren();
    ui.pager.hidden = total === 0;
    const actions = [];
    if (hasFilters(s)) {
      const clear = el('button', 'button', t('clearAll'));
      clear.type = 'button';
      clear.addEventListener('click', clearFilters);
      actions.push(clear);
    }
    if (total === 0) showMessage('empty', t('noResults', s.q.trim()), t('noResultsHelp'), actions);
    else hideMessage();
    if (total > 0) renderPager(total, s);
    return;
  }
  hideMessage();

  const frag = document.createDocumentFragment();
  for (const hit of answer.hits) frag.append(hitItem(hit, s));
  ui.hits.replaceChildren(frag);
  renderPager(total, s);
}

function hitItem(hit, s) {
  const li = el('li', 'hit');
  const h = el('h3', 'hit-title');
  const a = el('a', 'hit-link');
  a.href = urlFor({ ...s, talk: hit.id });
  a.dataset.id = hit.id;
  a.append(titleFragment(hit));
  h.append(a);
  li.append(h);

  const meta = el('p', 'hit-meta');
  const speakers = (hit.speakers && hit.speakers.length ? hit.speakers : [hit.speaker]).filter(Boolean);
  if (speakers.length) {
    const sp = el('span', 'hit-speaker');
    sp.append(speakersFragment(hit));
    meta.append(sp);
  }
  const when = [hit.day != null ? dayName(hit.day) : '', hit.time].filter(Boolean).join(' · ');
  if (when) meta.append(el('span', 'hit-when', when));
  if (hit.room) meta.append(el('span', 'hit-room', hit.room));
  meta.append(programmeMeta(hit, 'hit', hit.no_notes));
  li.append(meta);

  if (hit.snippet) {
    const p = el('p', 'hit-snippet');
    // A programme talk's snippet may come from its abstract, not notes.
    if (hit.snippet_from === 'abstract') p.append(el('span', 'snippet-from', t('fromAbstract')));
    p.append(markedFragment(hit.snippet));
    li.append(p);
  }
  // The whole card opens the talk; the title link is what keyboards and
  // screen readers reach, so its name stays short.
  li.addEventListener('click', (ev) => {
    if (ev.target.closest('a') || String(getSelection() ?? '')) return;
    openTalk(hit.id);
  });
  return li;
}

/* Minutes from "HH:MM" to "HH:MM", or 0 when not both are known. */
function minutesBetween(start, end) {
  const m = (x) => /^(\d\d):(\d\d)$/.exec(x || '');
  const a = m(start), b = m(end);
  if (!a || !b) return 0;
  const d = (+b[1] * 60 + +b[2]) - (+a[1] * 60 + +a[2]);
  return d > 0 ? d : 0;
}

/* What an official programme adds to a hit or the talk view: duration,
 * track, language, the official page, and "no notes yet" for a programme
 * talk nobody took notes for.  cls is the class prefix ("hit", "talk"). */
function programmeMeta(item, cls, noNotes) {
  const frag = document.createDocumentFragment();
  const mins = minutesBetween(item.time, item.end_time);
  if (mins) frag.append(el('span', `${cls}-duration`, t('minutes', mins)));
  if (item.track) frag.append(el('span', `${cls}-track`, item.track));
  if (item.language) frag.append(el('span', `${cls}-language`, item.language));
  if (item.url && /^https?:\/\//i.test(item.url)) {
    const a = el('a', `${cls}-official`, t('officialPage'));
    a.href = item.url;
    a.rel = 'noopener';
    a.target = '_blank';
    frag.append(a);
  }
  if (noNotes) frag.append(el('span', `${cls}-no-notes no-notes`, t('noNotesYet')));
  return frag;
}

function renderPager(total, s) {
  const pages = Math.min(Math.ceil(total / PAGE_SIZE), MAX_PAGE);
  if (pages <= 1) {
    ui.pager.hidden = true;
    ui.pager.replaceChildren();
    return;
  }
  ui.pager.hidden = false;
  ui.pager.setAttribute('aria-label', t('pagination'));
  const link = (page, text, cls) => {
    const a = el('a', cls, text);
    a.href = urlFor({ ...s, page, talk: null });
    a.addEventListener('click', (ev) => {
      if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      navigate(withChanges({ page, talk: null }));
      // A new page starts at its top, with the focus at the results.
      search().then(() => {
        ui.results.focus({ preventScroll: true });
        window.scrollTo({ top: 0 });
      });
    });
    return a;
  };
  const off = (text) => el('span', 'pager-link pager-off', text);
  const prev = `‹ ${t('prev')}`;
  const next = `${t('next')} ›`;
  const parts = [
    s.page > 1 ? link(Math.min(s.page - 1, pages), prev, 'pager-link') : off(prev),
    el('span', 'pager-pos', t('pageOf', Math.min(s.page, pages), pages)),
    s.page < pages ? link(s.page + 1, next, 'pager-link') : off(next),
  ];
  ui.pager.replaceChildren(...parts);
}

function showIntro(total) {
  const detail = document.createDocumentFragment();
  detail.append(el('p', 'message-detail', t('introBody', total)));
  const tips = el('dl', 'tips');
  const examples = [
    ['asyncio 測試', 'tipWords'],
    ['"event loop"', 'tipPhrase'],
    ['python -django', 'tipExclude'],
    ['django OR flask', 'tipOr'],
    ['async*', 'tipPrefix'],
    ['room:R1 day:2', 'tipFilter'],
  ];
  for (const [example, key] of examples) {
    const dt = el('dt');
    const b = el('button', 'tip-example', example);
    b.type = 'button';
    b.addEventListener('click', () => {
      ui.input.value = example;
      navigate(withChanges({ q: example, page: 1, talk: null }));
      search();
      ui.input.focus();
    });
    dt.append(b);
    tips.append(dt, el('dd', '', t(key)));
  }
  const tipsBox = el('div', 'tips-box');
  tipsBox.append(el('h2', 'tips-title', t('introTips')), tips);
  detail.append(tipsBox);
  const browse = el('a', 'button button-primary', t('browseSchedule'));
  browse.href = urlFor({ ...emptyState(), view: 'schedule' });
  browse.addEventListener('click', (ev) => {
    if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    setView('schedule');
  });
  showMessage('intro', t('introTitle'), detail, [browse]);
}

/* ---- facets ------------------------------------------------------------- */

let showAllSpeakers = false;

function facetLabel(facet, value, withDate) {
  if (facet !== 'day') return value;
  return withDate ? dayName(value) : t('dayLabel', value);
}

function renderFacets(answer, s) {
  const focused = document.activeElement;
  const refocus = focused && focused.classList && focused.classList.contains('chip')
    ? `${focused.dataset.facet}\u0000${focused.dataset.value}`
    : null;
  const frag = document.createDocumentFragment();
  const titles = { conference: 'facetConference', track: 'facetTrack', day: 'facetDay', room: 'facetRoom', speaker: 'facetSpeaker' };
  for (const facet of FACETS) {
    const counts = (answer.facets && answer.facets[facet]) || [];
    // A chosen value stays on screen even when the query leaves it no talks,
    // or it could not be unchosen.
    const entries = counts.map((c) => ({ value: String(c.value), count: c.count }));
    for (const v of s[facet])
      if (!entries.some((e) => e.value === v)) entries.push({ value: v, count: 0 });
    // Days and rooms keep their places as counts change; speakers come by
    // count, since only the first few are shown.
    if (facet !== 'speaker') entries.sort((a, b) => collator.compare(a.value, b.value));
    if (!entries.length) continue;
    const withDate = facet === 'day' && entries.every((e) => dayDates.has(e.value));

    const group = el('section', 'facet');
    group.dataset.facet = facet;
    const headingId = `facet-${facet}`;
    const h = el('h3', 'facet-title', t(titles[facet]));
    h.id = headingId;
    const list = el('ul', 'chips');
    list.setAttribute('aria-labelledby', headingId);
    let shown = entries;
    const limited = facet === 'speaker' && !showAllSpeakers && entries.length > SPEAKERS_SHOWN + 2;
    if (limited) {
      shown = entries.slice(0, SPEAKERS_SHOWN);
      for (const e of entries.slice(SPEAKERS_SHOWN))
        if (s.speaker.includes(e.value)) shown.push(e);
    }
    for (const e of shown) {
      const li = el('li');
      const chip = el('button', 'chip');
      chip.type = 'button';
      chip.dataset.facet = facet;
      chip.dataset.value = e.value;
      const on = s[facet].includes(e.value);
      chip.setAttribute('aria-pressed', String(on));
      const label = facetLabel(facet, e.value, withDate);
      chip.setAttribute('aria-label', t('chipCount', label, e.count));
      chip.append(el('span', 'chip-value', label), el('span', 'chip-count', String(e.count)));
      if (e.count === 0 && !on) chip.disabled = true;
      chip.addEventListener('click', () => toggleFilter(facet, e.value));
      li.append(chip);
      list.append(li);
    }
    group.append(h, list);
    if (facet === 'speaker' && entries.length > SPEAKERS_SHOWN + 2) {
      const more = el('button', 'link-button facet-more',
        showAllSpeakers ? t('showFewerSpeakers') : t('showAllSpeakers', entries.length));
      more.type = 'button';
      more.setAttribute('aria-expanded', String(showAllSpeakers));
      more.addEventListener('click', () => {
        showAllSpeakers = !showAllSpeakers;
        renderFacets(answer, s);
        ui.facetGroups.querySelector('.facet-more')?.focus();
      });
      group.append(more);
    }
    frag.append(group);
  }
  ui.facetGroups.replaceChildren(frag);
  ui.facets.hidden = !ui.facetGroups.childElementCount;
  ui.clearAll.hidden = !hasFilters(s);
  if (refocus) {
    for (const chip of ui.facetGroups.querySelectorAll('.chip'))
      if (`${chip.dataset.facet}\u0000${chip.dataset.value}` === refocus) chip.focus();
  }
}

function toggleFilter(facet, value) {
  const values = state[facet].includes(value)
    ? state[facet].filter((v) => v !== value)
    : [...state[facet], value];
  navigate(withChanges({ [facet]: values, page: 1, talk: null }));
  search();
}

function clearFilters() {
  navigate(withChanges({ conference: [], track: [], day: [], room: [], speaker: [], page: 1, talk: null }));
  search();
  ui.input.focus();
}

ui.clearAll.addEventListener('click', clearFilters);

/* ---- typing and completions --------------------------------------------- */

let typingTimer = 0;

ui.input.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    if (ui.input.value === state.q) return;
    navigate(withChanges({ q: ui.input.value, page: 1, talk: null }), { typing: true });
    search();
  }, SEARCH_DELAY_MS);
  scheduleSuggest();
});

ui.form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearTimeout(typingTimer);
  closeSuggestions();
  if (ui.input.value !== state.q)
    navigate(withChanges({ q: ui.input.value, page: 1, talk: null }), { typing: true });
  search();
});

let suggestTimer = 0;
let suggestSeq = 0;
let suggestAbort = null;
let activeSuggestion = -1;
let suggestionValues = [];

function scheduleSuggest() {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(fetchSuggestions, SUGGEST_DELAY_MS);
}

// The word being typed and what comes before it; leading "-", "(" or a
// quote stay with the prefix so that a completion keeps them.
function splitLastWord(value) {
  const m = /^(.*?[\s(\-"]?)([^\s()"\-:]*)$/su.exec(value);
  return m ? { head: m[1], word: m[2] } : { head: value, word: '' };
}

async function fetchSuggestions() {
  const value = ui.input.value;
  const { head, word } = splitLastWord(value);
  suggestAbort?.abort();
  const seq = ++suggestSeq;
  if (!word || head.endsWith(':') || document.activeElement !== ui.input) {
    closeSuggestions();
    return;
  }
  const ctl = new AbortController();
  suggestAbort = ctl;
  let list;
  try {
    list = (await getJSON('api/suggest', [['q', value]], ctl.signal)).suggestions || [];
  } catch {
    list = []; // completions are a convenience; the search shows any error
  }
  if (seq !== suggestSeq || ui.input.value !== value || document.activeElement !== ui.input) return;
  const folded = word.normalize('NFKC').toLowerCase();
  const values = list.filter((w) => w && w !== folded).slice(0, 8).map((w) => head + w);
  showSuggestions(values, head);
}

function showSuggestions(values, head) {
  suggestionValues = values;
  activeSuggestion = -1;
  ui.input.removeAttribute('aria-activedescendant');
  if (!values.length) {
    closeSuggestions();
    return;
  }
  const frag = document.createDocumentFragment();
  values.forEach((v, i) => {
    const li = el('li', 'suggestion');
    li.id = `suggestion-${i}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    if (head) li.append(el('span', 'suggestion-head', head));
    li.append(el('strong', 'suggestion-word', v.slice(head.length)));
    // mousedown would take the focus from the input before the click lands.
    li.addEventListener('mousedown', (ev) => ev.preventDefault());
    li.addEventListener('click', () => acceptSuggestion(i));
    frag.append(li);
  });
  ui.suggestions.replaceChildren(frag);
  ui.suggestions.hidden = false;
  ui.input.setAttribute('aria-expanded', 'true');
}

function closeSuggestions() {
  clearTimeout(suggestTimer);
  suggestAbort?.abort();
  suggestSeq++;
  suggestionValues = [];
  activeSuggestion = -1;
  ui.suggestions.hidden = true;
  ui.suggestions.replaceChildren();
  ui.input.setAttribute('aria-expanded', 'false');
  ui.input.removeAttribute('aria-activedescendant');
}

function suggestionsOpen() {
  return !ui.suggestions.hidden && suggestionValues.length > 0;
}

function moveSuggestion(delta) {
  const n = suggestionValues.length;
  // Position -1 is the text as typed, so the list wraps through it.
  let i = activeSuggestion + delta;
  if (i < -1) i = n - 1;
  if (i >= n) i = -1;
  activeSuggestion = i;
  ui.suggestions.querySelectorAll('[role=option]').forEach((o, i) => {
    o.setAttribute('aria-selected', String(i === activeSuggestion));
  });
  if (activeSuggestion >= 0) {
    ui.input.setAttribute('aria-activedescendant', `suggestion-${activeSuggestion}`);
    $(`suggestion-${activeSuggestion}`).scrollIntoView({ block: 'nearest' });
  } else {
    ui.input.removeAttribute('aria-activedescendant');
  }
}

function acceptSuggestion(i) {
  const value = suggestionValues[i];
  if (value === undefined) return;
  ui.input.value = value;
  closeSuggestions();
  clearTimeout(typingTimer);
  navigate(withChanges({ q: value, page: 1, talk: null }), { typing: true });
  search();
  ui.input.focus();
}

ui.input.addEventListener('blur', () => setTimeout(() => {
  if (document.activeElement !== ui.input) closeSuggestions();
}, 0));

ui.input.addEventListener('keydown', (ev) => {
  if (ev.isComposing) return; // an IME is choosing characters: its keys
  switch (ev.key) {
    case 'ArrowDown':
      ev.preventDefault();
      if (suggestionsOpen()) moveSuggestion(1);
      else focusFirstItem();
      break;
    case 'ArrowUp':
      if (suggestionsOpen()) {
        ev.preventDefault();
        moveSuggestion(-1);
      }
      break;
    case 'Enter':
      if (suggestionsOpen() && activeSuggestion >= 0) {
        ev.preventDefault();
        acceptSuggestion(activeSuggestion);
      }
      break;
    case 'Escape':
      // Chromium would clear a search input itself; we decide instead.
      ev.preventDefault();
      if (suggestionsOpen()) {
        closeSuggestions();
      } else if (ui.input.value) {
        ui.input.value = '';
        clearTimeout(typingTimer);
        navigate(withChanges({ q: '', page: 1, talk: null }));
        search();
      }
      break;
    default:
  }
});

/* ---- keyboard through results ------------------------------------------- */

function itemLinks() {
  return state.view === 'schedule'
    ? [...ui.schedule.querySelectorAll('.slot')]
    : [...ui.hits.querySelectorAll('.hit-link')];
}

function focusFirstItem() {
  const links = itemLinks();
  if (links.length) links[0].focus();
}

function onItemsKeydown(ev) {
  const links = itemLinks();
  const i = links.indexOf(document.activeElement);
  if (ev.key === 'Escape') {
    ev.preventDefault();
    ui.input.focus();
    ui.input.select();
    return;
  }
  if (i < 0) return;
  let next = null;
  if (ev.key === 'ArrowDown') next = links[i + 1] ?? null;
  else if (ev.key === 'ArrowUp') next = i > 0 ? links[i - 1] : ui.input;
  else if (ev.key === 'Home') next = links[0];
  else if (ev.key === 'End') next = links[links.length - 1];
  else return;
  ev.preventDefault();
  if (next) next.focus();
}

ui.hits.addEventListener('keydown', onItemsKeydown);
ui.schedule.addEventListener('keydown', onItemsKeydown);

function interceptTalkLinks(container, selector) {
  container.addEventListener('click', (ev) => {
    const a = ev.target.closest(selector);
    if (!a || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey || ev.button !== 0) return;
    ev.preventDefault();
    openTalk(a.dataset.id);
  });
}
interceptTalkLinks(ui.hits, '.hit-link');
interceptTalkLinks(ui.schedule, '.slot');

/* ---- the talk ----------------------------------------------------------- */

let talkSeq = 0;
let currentTalk = null;
let currentTalkQuery = ''; // the query searchd marked currentTalk for
let talkOpener = null;

function openTalk(id) {
  // From a talk (one of its similar talks): a step further from the list,
  // or none in a talk the page was loaded with (closing then adds an entry).
  const fromTalk = ui.talk.open;
  const depth = (history.state && Number(history.state.openedTalk)) || 0;
  if (!fromTalk) talkOpener = id;
  navigate(withChanges({ talk: id }), { openedTalk: !fromTalk ? 1 : depth ? depth + 1 : 0 });
  syncTalk();
}

async function syncTalk() {
  if (!state.talk) {
    currentTalk = null;
    if (ui.talk.open) ui.talk.close();
    return;
  }
  if (currentTalk && currentTalk.id === state.talk && currentTalkQuery === (state.q || '')) {
    showTalk(currentTalk);
    if (!ui.talk.open) ui.talk.showModal();
    return;
  }
  const seq = ++talkSeq;
  ui.talkConf.textContent = '';
  ui.talkTitle.textContent = t('talkLoading');
  ui.talkMeta.replaceChildren();
  ui.talkBody.replaceChildren();
  ui.talkSource.textContent = '';
  ui.talkPermalink.hidden = true;
  ui.talkSimilar.hidden = true;
  ui.talkSimilarList.replaceChildren();
  if (!ui.talk.open) ui.talk.showModal();
  ui.talkTitle.focus();
  try {
    const q = state.q || '';
    const talk = await getJSON(`api/sessions/${encodeURIComponent(state.talk)}`
      + (q.trim() ? `?q=${encodeURIComponent(q)}` : ''));
    if (seq !== talkSeq) return;
    currentTalk = talk;
    currentTalkQuery = q;
    showTalk(talk);
    showSimilar(talk.id, seq);
  } catch (e) {
    if (seq !== talkSeq) return;
    currentTalk = null;
    ui.talkTitle.textContent = e instanceof ApiError && e.status === 404 ? t('talkNotFound') : errorText(e);
  }
}

function showTalk(talk) {
  // searchd marked the query's words (docs/api.md "marked"); without a
  // query there is nothing marked and the talk is shown as it is.
  const marked = talk.marked || {};
  ui.talkConf.textContent = talk.conference || '';
  ui.talkTitle.replaceChildren(titleFragment(talk));
  const meta = document.createDocumentFragment();
  const speakers = (talk.speakers && talk.speakers.length ? talk.speakers : [talk.speaker]).filter(Boolean);
  if (speakers.length) {
    const sp = el('span', 'talk-speaker');
    sp.append(speakersFragment(talk));
    meta.append(sp);
  }
  if (talk.day != null) meta.append(el('span', 'talk-when', t('dayHeading', talk.day, talk.date || '')));
  if (talk.time) meta.append(el('span', 'talk-time', talk.end_time ? `${talk.time}–${talk.end_time}` : talk.time));
  if (talk.room) meta.append(el('span', 'talk-room', talk.room));
  const hasNotes = Boolean(talk.body && talk.body.trim());
  const summary = ['abstract', 'description'].filter((k) => talk[k]);
  const programme = summary.length > 0 || Boolean(talk.url || talk.track);
  meta.append(programmeMeta(talk, 'talk', programme && !hasNotes));
  ui.talkMeta.replaceChildren(meta);
  const textOf = (key) => (marked[key] != null
    ? markedFragment(marked[key], { links: true })
    : textFragment(talk[key], { links: true }));
  // Markdown notes come rendered by searchd (safe: no raw HTML, no
  // foreign images, rel=noopener links), marked or not.
  const renderedNotes = () => {
    const tpl = document.createElement('template');
    tpl.innerHTML = marked.body_html ?? talk.body_html;
    return tpl.content;
  };
  // A talk joined to the programme shows the programme's abstract, then
  // the notes, each under a heading that says which is which.
  const abstractPart = () => {
    const frag = document.createDocumentFragment();
    if (hasNotes) frag.append(el('h3', 'talk-part', t('abstractHeading')));
    for (const key of summary) {
      const p = el('p', 'talk-abstract');
      p.append(textOf(key));
      frag.append(p);
    }
    if (hasNotes) frag.append(el('h3', 'talk-part', t('notesHeading')));
    return frag;
  };
  if (hasNotes && summary.length) {
    ui.talkBody.classList.remove('talk-body-empty');
    ui.talkBody.classList.toggle('talk-body-md', Boolean(talk.body_html));
    const notes = document.createElement('div');
    notes.append(talk.body_html ? renderedNotes() : textOf('body'));
    ui.talkBody.replaceChildren(abstractPart(), notes);
  } else if (talk.body_html) {
    ui.talkBody.replaceChildren(renderedNotes());
    ui.talkBody.classList.remove('talk-body-empty');
    ui.talkBody.classList.add('talk-body-md');
  } else if (!hasNotes && summary.length) {
    // A programme talk without notes: its abstract and description.
    ui.talkBody.classList.remove('talk-body-md');
    ui.talkBody.replaceChildren(abstractPart());
    ui.talkBody.classList.remove('talk-body-empty');
  } else if (hasNotes) {
    ui.talkBody.classList.remove('talk-body-md');
    ui.talkBody.replaceChildren(textOf('body'));
    ui.talkBody.classList.remove('talk-body-empty');
  } else {
    ui.talkBody.classList.remove('talk-body-md');
    ui.talkBody.replaceChildren(el('p', '', t('emptyBody')));
    ui.talkBody.classList.add('talk-body-empty');
  }
  // The index keeps the path the indexer was given, which means nothing to
  // a visitor (and tells too much about the server): the file name is enough.
  const file = String(talk.source || '').split('/').pop();
  ui.talkSource.textContent = file ? t('talkSource', file, talk.line ?? '?') : '';
  ui.talkPermalink.hidden = false;
  ui.talkPermalink.href = new URL(urlFor({ ...emptyState(), q: state.q, talk: talk.id }), location.href).href;
  // Bring the first highlighted word into view when the notes are long.
  const first = ui.talkBody.querySelector('mark');
  ui.talkBody.scrollTop = 0;
  if (first && first.offsetTop > ui.talkBody.clientHeight * 0.8)
    ui.talkBody.scrollTop = first.offsetTop - ui.talkBody.clientHeight / 3;
}

// The talks on the same topic, under the notes; nothing when there are none
// or they cannot be had (the talk itself is what the visitor came for).
async function showSimilar(id, seq) {
  let answer;
  try {
    answer = await getJSON(`api/sessions/${encodeURIComponent(id)}/similar`);
  } catch {
    return;
  }
  if (seq !== talkSeq || !answer.similar.length) return;
  const items = answer.similar.map((hit) => {
    const a = el('a', 'similar-link', hit.title || hit.id);
    a.href = urlFor({ ...emptyState(), q: state.q, talk: hit.id });
    a.dataset.id = hit.id;
    const when = [hit.conference, hit.day != null ? t('dayLabel', hit.day) : '', hit.time]
      .filter(Boolean).join(' · ');
    const li = el('li', 'similar-item');
    li.append(a);
    if (when) li.append(el('span', 'similar-when', when));
    return li;
  });
  ui.talkSimilarList.replaceChildren(...items);
  ui.talkSimilar.hidden = false;
}
interceptTalkLinks(ui.talkSimilarList, '.similar-link');

// However the dialog was closed (Esc, the button, a click outside), the URL
// follows: back to the entry that opened it, or a new entry without the talk
// when the page was loaded with one.
ui.talk.addEventListener('close', () => {
  if (!state.talk) return;
  if (history.state && history.state.openedTalk) history.go(-Number(history.state.openedTalk));
  else navigate(withChanges({ talk: null }));
  restoreFocusAfterTalk();
});

function restoreFocusAfterTalk() {
  const id = talkOpener;
  talkOpener = null;
  setTimeout(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    const link = id && itemLinks().find((a) => a.dataset.id === id);
    (link || ui.input).focus();
  }, 0);
}

ui.talkClose.addEventListener('click', () => ui.talk.close());
ui.talk.addEventListener('click', (ev) => {
  if (ev.target === ui.talk) ui.talk.close(); // the backdrop
});
ui.talkPermalink.addEventListener('click', (ev) => {
  if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  navigator.clipboard?.writeText(ui.talkPermalink.href).catch(() => {});
});

/* ---- the schedule ------------------------------------------------------- */

let listing = null; // promise of every talk, fetched once
const matchSets = new Map(); // search key -> Set of matching ids
let scheduleSeq = 0;
let scheduleAbort = null;

function loadListing() {
  if (!listing) {
    listing = allHits([['q', '']]).catch((e) => {
      listing = null;
      throw e;
    });
  }
  return listing;
}

async function showSchedule() {
  const s = state;
  const seq = ++scheduleSeq;
  scheduleAbort?.abort();
  const ctl = new AbortController();
  scheduleAbort = ctl;
  const key = JSON.stringify(searchParams(s));
  const needMatches = !isBlank(s);
  if (!ui.schedule.childNodes.length)
    ui.schedule.replaceChildren(el('p', 'schedule-loading', t('scheduleLoading')));
  setBusy(true);
  try {
    const [talks, matches] = await Promise.all([
      loadListing(),
      !needMatches ? null
        : matchSets.has(key) ? matchSets.get(key)
        : allHits(searchParams(s), ctl.signal).then((hits) => new Set(hits.map((h) => h.id))),
    ]);
    // The visitor may have moved on to the list (or another search) meanwhile.
    if (seq !== scheduleSeq || state.view !== 'schedule') return;
    setBusy(false);
    if (matches) {
      matchSets.set(key, matches);
      if (matchSets.size > 20) matchSets.delete(matchSets.keys().next().value);
    }
    for (const h of talks) if (h.day != null && h.date) dayDates.set(String(h.day), h.date);
    const focusedId = document.activeElement && document.activeElement.classList.contains('slot')
      ? document.activeElement.dataset.id : null;
    renderSchedule(ui.schedule, talks, matches, (id) => urlFor({ ...s, talk: id }));
    if (focusedId) ui.schedule.querySelector(`.slot[data-id="${CSS.escape(focusedId)}"]`)?.focus();
    setStatus(matches ? t('scheduleMatches', matches.size, talks.length) : t('scheduleAll', talks.length));
  } catch (e) {
    if (e.name === 'AbortError' || seq !== scheduleSeq || state.view !== 'schedule') return;
    setBusy(false);
    lastError = e;
    render();
  }
}

function renderViewTabs() {
  const list = state.view !== 'schedule';
  ui.viewList.href = urlFor({ ...state, view: 'list', talk: null });
  ui.viewSchedule.href = urlFor({ ...state, view: 'schedule', page: 1, talk: null });
  for (const [link, on] of [[ui.viewList, list], [ui.viewSchedule, !list]]) {
    if (on) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.body.classList.toggle('view-schedule', !list);
}

function setView(view) {
  if (state.view === view) return;
  navigate(withChanges({ view, page: 1, talk: null }));
  lastRendered = null;
  search();
}

for (const [link, view] of [[ui.viewList, 'list'], [ui.viewSchedule, 'schedule']]) {
  link.addEventListener('click', (ev) => {
    if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    setView(view);
  });
}

ui.home.addEventListener('click', (ev) => {
  if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  ui.input.value = '';
  navigate(emptyState());
  syncTalk();
  search();
  ui.input.focus();
});

/* ---- start and history -------------------------------------------------- */

window.addEventListener('popstate', () => {
  state = stateFromURL();
  clearTimeout(typingTimer);
  closeSuggestions();
  if (ui.input.value !== state.q) ui.input.value = state.q;
  lastRendered = state.view === 'schedule' ? null : lastRendered;
  search();
  syncTalk();
});

applyLanguage();
ui.input.value = state.q;
// Marks the first entry so that typing replaces nothing the visitor came from.
history.replaceState({ typing: false, openedTalk: 0 }, '', urlFor(state));
search();
syncTalk();
if (!state.talk) ui.input.focus({ preventScroll: true });
