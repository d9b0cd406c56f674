// web.test.mjs: the search page and the embeddable box in a real browser
// (Debian's Chromium driven by playwright-core), against the real indexer and
// confsearchd serving the demo notes.  Run by run.sh (ctest test web_ui).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through run.sh)`);
  return v;
};
const INDEXER = env('CS_INDEXER');
const SEARCHD = env('CS_SEARCHD');
const SOURCE = env('CS_SOURCE_DIR');
const BUILD = env('CS_BUILD_DIR');
const SHOTS = path.join(BUILD, 'screenshots');
const LOGS = path.join(BUILD, 'tests', 'web');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach
// Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let tmp;
let browser;
let daemon; // {child, base, port, log}
let downDaemon; // a daemon whose index is missing: every search is a 503
let host; // {server, base, port}

/* ---- servers ------------------------------------------------------------ */

function startDaemon(db, name) {
  const logPath = path.join(LOGS, `${name}.log`);
  const child = spawn(SEARCHD, ['--db', db, '--listen', '127.0.0.1:0', '--threads', '4',
    '--web', path.join(SOURCE, 'web')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.on('exit', () => writeFileSync(logPath, stderr));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no listening line: ${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /confsearchd listening on (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1], port: Number(m[2]) });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${stderr}`));
    });
  });
}

function stopDaemon(d) {
  if (!d || d.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    d.child.once('exit', resolve);
    d.child.kill('SIGTERM');
  });
}

// A conference site on another origin, locked down by a strict CSP that
// allows scripts and requests only from searchd, and styles only from itself.
function hostPage(searchd) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PyHarbor Keelung 2026</title>
<link rel="stylesheet" href="/host.css">
<script src="${searchd}widget.js" defer></script>
</head>
<body>
<header><h1>PyHarbor Keelung 2026</h1><p>March 14–15 · Keelung Harbour Hall</p></header>
<main>
<h2>Find a talk</h2>
<confsearch-box id="box-en" endpoint="${searchd.replace(/\/$/, '')}" lang="en" results="4"
  placeholder="Search PyHarbor talks" link-pattern="/talks/{id}?from=box"></confsearch-box>
<h2 lang="zh-Hant">搜尋議程</h2>
<confsearch-box id="box-zh" endpoint="${searchd}" lang="zh-Hant"></confsearch-box>
<p class="after">Text after the boxes, which the dropdown covers.</p>
</main>
</body>
</html>
`;
}

// Rules that would wreck an unprotected widget: the shadow root must keep
// them out, while the theme variable must come in.
const HOST_CSS = `
body { font: 17px/1.5 Georgia, serif; margin: 2rem; background: #fbf8f3; color: #222; }
header { border-bottom: 3px solid #b0306a; margin-bottom: 1rem; }
h1 { color: #b0306a; margin: 0; }
input { border: 6px dashed red !important; background: yellow !important; }
li, a { color: green; font-size: 30px; }
#box-en { --confsearch-accent: #b0306a; --confsearch-radius: 4px; }
`;

function startHost(searchd) {
  const csp = `default-src 'none'; script-src ${searchd.replace(/\/$/, '')}; ` +
    `connect-src ${searchd.replace(/\/$/, '')}; style-src 'self'`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://host');
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': csp });
      res.end(body);
    };
    if (url.pathname === '/') send(200, 'text/html; charset=utf-8', hostPage(searchd));
    else if (url.pathname === '/host.css') send(200, 'text/css', HOST_CSS);
    else if (url.pathname.startsWith('/talks/'))
      send(200, 'text/html; charset=utf-8', '<!doctype html><title>talk</title><h1>A talk</h1>');
    else send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, port, base: `http://127.0.0.1:${port}/` });
    });
  });
}

async function api(pathAndQuery) {
  const res = await fetch(new URL(pathAndQuery, daemon.base));
  assert.equal(res.status, 200, `${pathAndQuery}: HTTP ${res.status}`);
  return res.json();
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(LOGS, { recursive: true });
  tmp = mkdtempSync(path.join(tmpdir(), 'confsearch-web-'));
  const demo = path.join(SOURCE, 'data', 'demo');
  const notes = readdirSync(demo).filter((f) => f.endsWith('.txt')).map((f) => path.join(demo, f));
  const db = path.join(tmp, 'talks.db');
  const r = spawnSync(INDEXER, ['--db', db, ...notes], { encoding: 'utf8' });
  assert.equal(r.status, 0, `indexer failed: ${r.stderr}`);
  daemon = await startDaemon(db, 'confsearchd');
  downDaemon = await startDaemon(path.join(tmp, 'missing.db'), 'confsearchd-503');
  host = await startHost(daemon.base);
  // launch() gives Chromium a new empty --user-data-dir of its own and
  // removes it on close.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (host ? host.server.close(resolve) : resolve()));
  await stopDaemon(daemon);
  await stopDaemon(downDaemon);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/* ---- helpers ------------------------------------------------------------ */

// A fresh browser context per test, collecting console errors, uncaught
// exceptions and CSP violations; check() asserts there were none.
async function openPage(t, { viewport = { width: 1280, height: 900 }, locale = 'en-US',
  allowConsole = null } = {}) {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  // Everything here answers in milliseconds: a failure should not take the
  // default 30 s per wait to show.
  page.setDefaultTimeout(8000);
  const problems = [];
  page.on('console', (m) => {
    const text = m.text();
    const bad = m.type() === 'error' || /Content Security Policy|Refused to/i.test(text);
    if (bad && !(allowConsole && allowConsole.test(text))) problems.push(`console ${m.type()}: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  t.after(() => context.close());
  return {
    page,
    async check() {
      const violations = await page.evaluate(() => window.__violations).catch(() => []);
      assert.deepEqual([...problems, ...violations], [], 'console errors or CSP violations');
    },
  };
}

const hitTitles = (page) => page.$$eval('#hits .hit-title', (els) => els.map((e) => e.textContent));

async function waitForFirstHit(page, title) {
  await page.waitForFunction(
    (want) => document.querySelector('#hits .hit-title')?.textContent === want,
    title,
    { timeout: 5000 },
  ).catch(async () => {
    assert.fail(`first hit is not "${title}": got ${JSON.stringify(await hitTitles(page))}`);
  });
}

async function chip(page, facet, value) {
  return page.$(`.chip[data-facet="${facet}"][data-value="${value}"]`);
}

async function chipState(page, facet) {
  return page.$$eval(`.chip[data-facet="${facet}"]`, (els) => Object.fromEntries(els.map((e) => [
    e.dataset.value,
    { count: Number(e.querySelector('.chip-count').textContent), pressed: e.getAttribute('aria-pressed') },
  ])));
}

const params = (page) => new URL(page.url()).searchParams;

/* ---- the search page ---------------------------------------------------- */

describe('search page', () => {
  test('typing a query shows the right first result', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(daemon.base);
    await page.waitForSelector('.message-intro');
    const expected = await api('api/search?q=twisted');
    assert.equal(expected.hits[0].title, '用 asyncio 打造百萬連線的聊天室');
    await page.locator('#q').pressSequentially('twisted', { delay: 35 });
    // "twist", typed on the way, finds the same talk: wait for the answer
    // to the whole word (a loaded machine answers the prefixes late).
    await page.waitForFunction(() => /“twisted”/.test(document.querySelector('#status')?.textContent));
    await waitForFirstHit(page, expected.hits[0].title);
    assert.equal(await page.locator('#hits .hit').count(), expected.total);
    assert.match(await page.textContent('#status'), /1 talk for “twisted”/);
    assert.equal(await page.getAttribute('#status', 'aria-live'), 'polite');
    // The server's <mark> comes through as an element, and nothing else does.
    assert.deepEqual(await page.$$eval('#hits .hit-snippet mark', (m) => m.map((e) => e.textContent)),
      ['Twisted', 'Twisted']);
    assert.equal(await page.$$eval('#hits .hit-snippet *:not(mark)', (m) => m.length), 0);
    assert.equal(params(page).get('q'), 'twisted');
    await page.screenshot({ path: path.join(SHOTS, 'page-twisted.png') });
    await check();
  });

  test('one Chinese character finds every talk with a word that holds it', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(daemon.base);
    await page.waitForSelector('.message-intro');
    // 線 stands inside 連線, 管線 and 上線, never alone.
    const expected = await api(`api/search?q=${encodeURIComponent('線')}`);
    const titles = expected.hits.map((h) => h.title);
    for (const word of ['連線', '管線', '上線'])
      assert.ok(titles.some((title) => title.includes(word)), `${word}: ${JSON.stringify(titles)}`);
    await page.locator('#q').fill('線'); // as an input method commits it
    await waitForFirstHit(page, expected.hits[0].title);
    assert.equal(await page.locator('#hits .hit').count(), expected.total);
    const marks = await page.$$eval('#hits .hit-snippet mark', (m) => m.map((e) => e.textContent));
    assert.ok(marks.length >= expected.total, JSON.stringify(marks));
    assert.ok(marks.every((m) => m === '線'), JSON.stringify(marks));
    await check();
  });

  test('completions come from /api/suggest and did-you-mean from suggestion', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(daemon.base);
    // Wait for the answer to "asyn" itself: the list first shows what "a"
    // or "as" completed to (a flaky read of those once, on a loaded run).
    const suggested = page.waitForResponse((r) => {
      const u = new URL(r.url());
      return u.pathname === '/api/suggest' && u.searchParams.get('q') === 'asyn';
    });
    await page.locator('#q').pressSequentially('asyn', { delay: 30 });
    await suggested;
    await page.waitForFunction(() => [...document.querySelectorAll('#suggestions [role=option]')]
      .some((e) => e.textContent === 'asyncio'));
    const options = await page.$$eval('#suggestions [role=option]', (o) => o.map((e) => e.textContent));
    assert.ok(options.includes('asyncio'), `suggestions: ${options}`);
    assert.equal(await page.getAttribute('#q', 'aria-expanded'), 'true');
    const index = options.indexOf('asyncio');
    for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), `suggestion-${index}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#q'), 'asyncio');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'asyncio');
    assert.equal(await page.isHidden('#suggestions'), true);
    await waitForFirstHit(page, (await api('api/search?q=asyncio')).hits[0].title);

    await page.goto(new URL('?q=twistd', daemon.base).href);
    await page.waitForSelector('#did-you-mean:not([hidden]) button');
    assert.equal(await page.textContent('#did-you-mean button'), 'twisted');
    assert.match(await page.textContent('#message'), /No talks match “twistd”/);
    await page.click('#did-you-mean button');
    await waitForFirstHit(page, '用 asyncio 打造百萬連線的聊天室');
    assert.equal(params(page).get('q'), 'twisted');
    await check();
  });

  test('a room chip shows only that room, the other rooms keep their counts; '
    + 'a result opens the talk; Back restores each state', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(new URL('?q=python', daemon.base).href);
    const all = await api('api/search?q=python');
    await waitForFirstHit(page, all.hits[0].title);
    const before = await chipState(page, 'room');
    assert.deepEqual(Object.keys(before).sort(), ['R0', 'R1', 'R2']);
    await page.screenshot({ path: path.join(SHOTS, 'page.png') });

    await (await chip(page, 'room', 'R1')).click();
    const r1 = await api('api/search?q=python&room=R1');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('room') === 'R1');
    await page.waitForFunction((n) => document.querySelectorAll('#hits .hit').length === n
      && [...document.querySelectorAll('#hits .hit-room')].every((e) => e.textContent === 'R1'),
    r1.total);
    const after = await chipState(page, 'room');
    const expected = Object.fromEntries(r1.facets.room.map((f) => [f.value,
      { count: f.count, pressed: String(f.value === 'R1') }]));
    assert.deepEqual(after, expected);
    assert.ok(after.R0.count > 0 && after.R2.count > 0, 'the other rooms still show counts');
    assert.equal(await page.isVisible('#clear-all'), true);
    const resultsR1 = await hitTitles(page);

    // Open the second result with the mouse.
    const target = r1.hits[1];
    await page.click(`#hits .hit-link[data-id="${target.id}"]`);
    await page.waitForSelector('#talk[open]');
    await page.waitForFunction((title) => document.querySelector('#talk-title').textContent === title,
      target.title);
    assert.equal(params(page).get('talk'), target.id);
    const session = await api(`api/sessions/${encodeURIComponent(target.id)}`);
    assert.equal(await page.textContent('#talk-body'), session.body);
    assert.ok((await page.$$eval('#talk-body mark', (m) => m.map((e) => e.textContent.toLowerCase())))
      .every((w) => w === 'python'), 'query words are highlighted in the talk');
    assert.ok(await page.$$eval('#talk-body mark', (m) => m.length) > 0);
    assert.match(await page.textContent('#talk-meta'), new RegExp(`${target.room}`));
    await page.screenshot({ path: path.join(SHOTS, 'talk.png') });

    await page.goBack();
    await page.waitForFunction(() => !document.querySelector('#talk').open);
    assert.equal(params(page).get('talk'), null);
    assert.equal(params(page).get('room'), 'R1');
    assert.deepEqual(await hitTitles(page), resultsR1);
    assert.equal((await chipState(page, 'room')).R1.pressed, 'true');

    await page.goBack();
    await page.waitForFunction((n) => document.querySelectorAll('#hits .hit').length === n, all.total);
    assert.equal(params(page).get('room'), null);
    assert.equal((await chipState(page, 'room')).R1.pressed, 'false');
    assert.equal(await page.inputValue('#q'), 'python');

    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('room') === 'R1');
    await page.waitForFunction(() => document.querySelector('.chip[data-value="R1"]')
      ?.getAttribute('aria-pressed') === 'true');
    await check();
  });

  test('a talk lists its similar talks, which open in its place; closing goes back to the list',
    async (t) => {
      const { page, check } = await openPage(t);
      await page.goto(new URL('?q=keynote', daemon.base).href);
      const keynote = (await api('api/search?q=%E7%87%88%E5%A1%94')).hits[0]; // 燈塔
      assert.match(keynote.title, /社群經營/);
      const similar = await api(`api/sessions/${encodeURIComponent(keynote.id)}/similar`);
      assert.ok(similar.similar.length > 0, 'the community keynote has similar talks');
      assert.match(similar.similar[0].title, /社群經營/);
      await page.waitForSelector(`#hits .hit-link[data-id="${keynote.id}"]`);
      await page.click(`#hits .hit-link[data-id="${keynote.id}"]`);
      await page.waitForSelector('#talk[open] #talk-similar:not([hidden]) .similar-link');
      assert.equal(await page.textContent('#talk-similar-title'), 'Similar talks');
      assert.deepEqual(await page.$$eval('#talk-similar .similar-link', (a) => a.map((e) => e.textContent)),
        similar.similar.map((h) => h.title));
      assert.ok(!(await page.$$eval('#talk-similar .similar-link', (a) => a.map((e) => e.dataset.id)))
        .includes(keynote.id), 'the talk is not its own similar talk');
      await page.screenshot({ path: path.join(SHOTS, 'talk-similar.png') });

      // One click opens the similar talk in the dialog, with its own similar talks.
      const next = similar.similar[0];
      await page.click(`#talk-similar .similar-link[data-id="${next.id}"]`);
      await page.waitForFunction((title) => document.querySelector('#talk-title').textContent === title,
        next.title);
      assert.equal(params(page).get('talk'), next.id);
      await page.waitForSelector('#talk-similar:not([hidden]) .similar-link');
      assert.ok(await page.$(`#talk-similar .similar-link[data-id="${keynote.id}"]`),
        'the keynote is similar to it in turn');

      // Back returns to the first talk; closing leaves the talks for the results.
      await page.goBack();
      await page.waitForFunction((title) => document.querySelector('#talk-title').textContent === title,
        keynote.title);
      await page.click(`#talk-similar .similar-link[data-id="${next.id}"]`);
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('talk') === id, next.id);
      await page.click('#talk-close');
      await page.waitForFunction(() => !document.querySelector('#talk').open
        && !new URL(location.href).searchParams.has('talk'));
      assert.equal(params(page).get('q'), 'keynote');
      await check();
    });

  test('a URL with a query and filters runs that search', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(new URL('?q=pytest&day=1', daemon.base).href);
    const expected = await api('api/search?q=pytest&day=1');
    await waitForFirstHit(page, expected.hits[0].title);
    assert.equal(expected.hits[0].title, '寫測試不再痛苦：pytest fixture 實戰');
    assert.equal(await page.inputValue('#q'), 'pytest');
    assert.equal((await chipState(page, 'day'))['1'].pressed, 'true');

    // Filters alone list talks in programme order, a page at a time.
    await page.goto(new URL('?day=1&day=2', daemon.base).href);
    const page2 = await api('api/search?q=&day=1&day=2&page=2');
    await page.waitForSelector('#pager:not([hidden])');
    await page.click('#pager a');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '2');
    await waitForFirstHit(page, page2.hits[0].title);
    assert.match(await page.textContent('#pager'), /Page 2 of 2/);

    // A shared link to a talk opens it over its results.
    const id = expected.hits[0].id;
    await page.goto(new URL(`?q=fixture&talk=${encodeURIComponent(id)}`, daemon.base).href);
    await page.waitForSelector('#talk[open]');
    await page.waitForFunction((title) => document.querySelector('#talk-title').textContent === title,
      expected.hits[0].title);
    assert.ok(await page.$$eval('#talk-body mark', (m) => m.length) > 0);
    await page.click('#talk-close');
    await page.waitForFunction(() => !document.querySelector('#talk').open
      && !new URL(location.href).searchParams.has('talk'));
    assert.equal(params(page).get('q'), 'fixture');
    await check();
  });

  test('the schedule view marks the talks that match', async (t) => {
    const { page, check } = await openPage(t, { viewport: { width: 1280, height: 1000 } });
    await page.goto(new URL('?q=社群', daemon.base).href);
    const matching = await api(`api/search?q=${encodeURIComponent('社群')}&size=100`);
    const everything = await api('api/search?q=&size=100');
    await waitForFirstHit(page, matching.hits[0].title);
    await page.click('#view-schedule');
    await page.waitForSelector('#schedule:not([hidden]) table.grid');
    assert.equal(params(page).get('view'), 'schedule');
    assert.equal(await page.locator('#schedule .slot').count(), everything.total);
    const marked = await page.$$eval('#schedule .slot[data-match="true"]', (s) => s.map((e) => e.dataset.id));
    assert.deepEqual(marked.sort(), matching.hits.map((h) => h.id).sort());
    assert.ok(marked.length > 0 && marked.length < everything.total);
    // A day × time × room grid: one table per day, rooms as columns.
    const days = new Set(everything.hits.map((h) => h.day));
    assert.equal(await page.locator('#schedule table.grid').count(), days.size);
    const firstHead = await page.$$eval('#schedule section.day:first-child thead th',
      (th) => th.map((e) => e.textContent));
    assert.deepEqual(firstHead.slice(1), ['R0', 'R1', 'R2']);
    assert.match(await page.textContent('#status'), new RegExp(`${marked.length} of ${everything.total}`));
    await page.screenshot({ path: path.join(SHOTS, 'schedule.png'), fullPage: true });

    // Filters change what is marked, and a talk opens from the grid.
    await (await chip(page, 'room', 'R1')).click();
    const inR1 = await api(`api/search?q=${encodeURIComponent('社群')}&room=R1&size=100`);
    await page.waitForFunction((n) => document.querySelectorAll('#schedule .slot[data-match="true"]').length === n,
      inR1.total);
    await page.click(`#schedule .slot[data-id="${inR1.hits[0].id}"]`);
    await page.waitForSelector('#talk[open]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#talk').open);
    assert.equal(params(page).get('view'), 'schedule');
    await check();
  });

  test('keyboard only: type, move through results, open, close, clear', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(daemon.base);
    await page.waitForSelector('.message-intro');
    // The box has the focus on arrival; from the top, Tab reaches it too.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
    await page.keyboard.type('python');
    await page.keyboard.press('Enter');
    const expected = await api('api/search?q=python');
    await waitForFirstHit(page, expected.hits[0].title);
    const focused = () => page.evaluate(() => document.activeElement.dataset.id ?? document.activeElement.id);
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), expected.hits[0].id);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), expected.hits[2].id);
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), expected.hits[1].id);
    await page.keyboard.press('End');
    assert.equal(await focused(), expected.hits[expected.hits.length - 1].id);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#talk[open]');
    await page.waitForFunction((title) => document.querySelector('#talk-title').textContent === title,
      expected.hits[1].title);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#talk').open);
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('talk'));
    assert.equal(await focused(), expected.hits[1].id, 'focus returns to the result');
    await page.keyboard.press('Escape');
    assert.equal(await focused(), 'q');
    await page.keyboard.press('Escape');
    assert.equal(await page.inputValue('#q'), '');
    await page.waitForSelector('.message-intro');
    // Chips are buttons: Tab reaches them, Space toggles them.
    await page.focus('.chip[data-facet="room"][data-value="R2"]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('room') === 'R2');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.value), 'R2',
      'the chip keeps the focus after the results change');
    await check();
  });

  test('a slow answer says so, and a stale answer never replaces a newer one', async (t) => {
    const { page, check } = await openPage(t);
    await page.route('**/api/search?**', async (route) => {
      const q = new URL(route.request().url()).searchParams.get('q');
      if (q === 'pickle') await new Promise((r) => setTimeout(r, 2600));
      if (q === 'java') await new Promise((r) => setTimeout(r, 900));
      await route.continue().catch(() => {}); // aborted by the page meanwhile
    });
    await page.goto(new URL('?q=pickle', daemon.base).href);
    await page.waitForFunction(() => /Still searching/.test(document.querySelector('#status').textContent),
      null, { timeout: 4000 });
    await waitForFirstHit(page, '安全的 pickle？反序列化攻擊與防禦');

    await page.fill('#q', 'java');
    await page.waitForRequest((r) => r.url().includes('q=java'));
    await page.fill('#q', 'twisted');
    await waitForFirstHit(page, '用 asyncio 打造百萬連線的聊天室');
    await page.waitForTimeout(1100); // the "java" answer would have come by now
    assert.deepEqual(await hitTitles(page), ['用 asyncio 打造百萬連線的聊天室']);
    assert.equal(params(page).get('q'), 'twisted');
    await check();
  });

  test('an unavailable index says so (503)', async (t) => {
    const { page, check } = await openPage(t, { allowConsole: /status of 503/ });
    await page.goto(new URL('?q=python', downDaemon.base).href);
    await page.waitForSelector('.message-error');
    assert.match(await page.textContent('.message-error'), /index is unavailable right now/);
    assert.equal(await page.getAttribute('.message-error', 'role'), 'alert');
    await page.screenshot({ path: path.join(SHOTS, 'error-503.png') });
    await check();
  });

  test('the interface speaks the browser language, can be switched, and remembers', async (t) => {
    const { page, check } = await openPage(t, { locale: 'zh-TW' });
    await page.goto(new URL('?q=python', daemon.base).href);
    await page.waitForSelector('#hits .hit');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
    assert.match(await page.textContent('#status'), /「python」找到 \d+ 場議程/);
    assert.equal(await page.textContent('#view-schedule'), '議程表');
    await page.screenshot({ path: path.join(SHOTS, 'page-zh.png') });
    await page.click('#lang-switch');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('#status'), /talks for “python”/);
    await page.reload();
    await page.waitForSelector('#hits .hit');
    assert.equal(await page.textContent('#view-schedule'), 'Schedule');
    await check();
  });

  test('a Markdown talk shows its table and code, and raw HTML in notes stays text', async (t) => {
    // Its own index, with the Markdown demo pad beside the text ones.
    const demo = path.join(SOURCE, 'data', 'demo');
    const notes = readdirSync(demo).filter((f) => /\.(txt|md)$/.test(f)).map((f) => path.join(demo, f));
    const db = path.join(tmp, 'markdown.db');
    const r = spawnSync(INDEXER, ['--db', db, ...notes], { encoding: 'utf8' });
    assert.equal(r.status, 0, `indexer failed: ${r.stderr}`);
    const md = await startDaemon(db, 'confsearchd-markdown');
    t.after(() => stopDaemon(md));
    const search = async (q) => (await fetch(new URL(`api/search?q=${encodeURIComponent(q)}`, md.base))).json();
    const { page, check } = await openPage(t);
    // The plugin workshop's notes hold a table and a code block.
    const plugin = (await search('pytest_addoption')).hits[0];
    await page.goto(`${md.base}?q=hook&talk=${encodeURIComponent(plugin.id)}`);
    await page.waitForSelector('#talk[open] #talk-body table');
    assert.ok(await page.$$eval('#talk-body td', (c) => c.length) > 0, 'a table renders');
    assert.ok(await page.$('#talk-body pre code'), 'a code block renders');
    assert.ok((await page.$$eval('#talk-body mark', (m) => m.map((e) => e.textContent.toLowerCase())))
      .includes('hook'), 'query words are marked in the rendered notes');
    await page.screenshot({ path: path.join(SHOTS, 'talk-markdown.png') });
    // The security workshop's notes quote a <script>: text on the page, never an element.
    const xss = (await search('alert')).hits.find((h) => h.title.includes('XSS'));
    assert.ok(xss, 'the XSS workshop is found');
    await page.goto(`${md.base}?q=payload&talk=${encodeURIComponent(xss.id)}`);
    await page.waitForSelector('#talk[open] #talk-body mark');
    assert.equal(await page.$$eval('#talk-body script', (s) => s.length), 0);
    assert.match(await page.textContent('#talk-body'), /<script>alert\(1\)<\/script>/);
    assert.deepEqual(await page.$$eval('#talk-body mark', (m) => m.map((e) => e.textContent)), ['payload']);
    assert.ok(await page.$$eval('#talk-body a', (a) => a.length > 0 && a.every((e) => e.rel === 'noopener noreferrer')));
    // The conference is a facet of its own.
    await page.goto(`${md.base}?q=`);
    await page.waitForSelector('.chip[data-facet="conference"]');
    await check();
  });

  test('a programme: the grid spans a workshop over the times it lasts, tracks are chips', async (t) => {
    const db = path.join(tmp, 'programme.db');
    const r = spawnSync(INDEXER, ['--db', db, path.join(SOURCE, 'tests', 'fixtures', 'schedules',
      'lantern-harbour.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `indexer failed: ${r.stderr}`);
    const prog = await startDaemon(db, 'confsearchd-programme');
    t.after(() => stopDaemon(prog));
    const { page, check } = await openPage(t);
    await page.goto(`${prog.base}?view=schedule`);
    await page.waitForSelector('#schedule .slot');
    // 10:00-11:30 covers the 10:00 and 11:00 rows of day 1.
    const spans = await page.$$eval('#schedule td.grid-cell', (cells) => cells
      .filter((c) => c.textContent.includes('Building a search engine in C')).map((c) => c.rowSpan));
    assert.deepEqual(spans, [2]);
    await page.screenshot({ path: path.join(SHOTS, 'schedule-programme.png') });
    await page.goto(`${prog.base}?q=`);
    await page.waitForSelector('.chip[data-facet="track"][data-value="Workshop"]');
    // A programme talk nobody took notes for: its hit says so, gives its
    // length, track and official page, and the snippet is its abstract.
    await page.goto(`${prog.base}?q=${encodeURIComponent('edge cases')}`);
    const hit = page.locator('#hits .hit', { hasText: 'Property-based testing for the impatient' });
    await hit.waitFor();
    assert.equal(await hit.locator('.hit-no-notes').count(), 1);
    assert.match(await hit.locator('.hit-snippet').textContent(), /^Abstract: .*edge cases/);
    assert.match(await hit.locator('.hit-duration').textContent(), /^\d+ min$/);
    assert.equal(await hit.locator('.hit-official').count(), 1);
    await hit.locator('.hit-link').click();
    await page.waitForSelector('#talk[open] #talk-meta .talk-no-notes');
    assert.match(await page.getAttribute('#talk-meta .talk-official', 'href'), /^https:\/\//);
    assert.ok((await page.textContent('#talk-meta .talk-track')).length > 0);
    assert.match(await page.textContent('#talk-body'), /edge cases <before> your users do/);
    await page.screenshot({ path: path.join(SHOTS, 'programme-talk.png') });
    await check();
  });

  test('a talk joined to the programme is one hit: the programme\'s abstract, then the notes', async (t) => {
    const demo = path.join(SOURCE, 'data', 'demo');
    const db = path.join(tmp, 'joined.db');
    const files = readdirSync(demo).map((f) => path.join(demo, f));
    const r = spawnSync(INDEXER, ['--db', db, ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, `indexer failed: ${r.stderr}`);
    assert.match(r.stdout, /notes talks? joined to the programme/);
    const joined = await startDaemon(db, 'confsearchd-joined');
    t.after(() => stopDaemon(joined));
    const { page, check } = await openPage(t);
    // "lighthouse" is only in the keynote's notes; the programme has the talk too.
    await page.goto(`${joined.base}?q=lighthouse`);
    const hits = page.locator('#hits .hit');
    await hits.first().waitFor();
    assert.equal(await hits.count(), 1);
    const hit = hits.first();
    assert.equal(await hit.locator('.hit-no-notes').count(), 0);
    assert.equal(await hit.locator('.hit-official').count(), 1);
    await hit.locator('.hit-link').click();
    await page.waitForSelector('#talk[open] #talk-body .talk-abstract');
    const parts = await page.$$eval('#talk-body .talk-part', (hs) => hs.map((h) => h.textContent));
    assert.equal(parts.length, 2);
    assert.match(await page.textContent('#talk-body'), /lighthouse/);
    assert.match(await page.getAttribute('#talk-meta .talk-official', 'href'), /^https:\/\//);
    await page.screenshot({ path: path.join(SHOTS, 'joined-talk.png') });
    // Simplified 网络 finds and marks Traditional 網路, in the hit's title
    // and in the talk: searchd marks with the index's own analysis
    // (OpenCC), which the page never had.
    await page.goto(`${joined.base}?q=${encodeURIComponent('网络')}`);
    const crawler = page.locator('#hits .hit', { hasText: '網路爬蟲' }).first();
    await crawler.waitFor();
    assert.equal(await crawler.locator('.hit-title mark').first().textContent(), '網路');
    await crawler.locator('.hit-link').click();
    await page.waitForSelector('#talk[open] #talk-title mark');
    assert.equal(await page.textContent('#talk-title mark'), '網路');
    // A stemmed match: "fixtures" marks "fixture" in the notes.
    await page.goto(`${joined.base}?q=fixtures&talk=pyharbor-keelung-2026_2026-03-14_1000_R1`);
    await page.waitForSelector('#talk[open] #talk-body mark');
    const stems = await page.$$eval('#talk-body mark', (m) => m.map((e) => e.textContent.toLowerCase()));
    assert.ok(stems.includes('fixture'), JSON.stringify(stems));
    await check();
  });

  test('a phone-sized screen shows the page without sideways scrolling', async (t) => {
    const { page, check } = await openPage(t, { viewport: { width: 390, height: 844 }, locale: 'zh-TW' });
    await page.goto(new URL('?q=python', daemon.base).href);
    await page.waitForSelector('#hits .hit');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(SHOTS, 'phone.png') });
    await page.click('#view-schedule');
    await page.waitForSelector('#schedule table.grid');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await page.screenshot({ path: path.join(SHOTS, 'phone-schedule.png') });
    await page.click('#schedule .slot[data-match="true"]');
    await page.waitForSelector('#talk[open] #talk-body mark');
    await page.screenshot({ path: path.join(SHOTS, 'phone-talk.png') });
    await check();
  });
});

/* ---- the embeddable box ------------------------------------------------- */

describe('embedded box', () => {
  test('works on another origin under a strict CSP', async (t) => {
    const { page, check } = await openPage(t, { viewport: { width: 900, height: 700 } });
    const box = page.locator('#box-en');
    await page.goto(host.base);
    await page.waitForFunction(() => customElements.get('confsearch-box')
      && document.querySelector('#box-en').shadowRoot);
    const shadow = await page.evaluate(() => {
      const root = document.querySelector('#box-en').shadowRoot;
      return { adopted: root.adoptedStyleSheets.length, styles: root.querySelectorAll('style').length };
    });
    assert.deepEqual(shadow, { adopted: 1, styles: 0 }, 'styles come from a constructed sheet');

    const expected = await api('api/search?q=asyncio&size=4');
    const input = box.locator('input');
    assert.equal(await input.getAttribute('placeholder'), 'Search PyHarbor talks');
    await input.click();
    await input.pressSequentially('asyncio', { delay: 30 });
    await page.waitForFunction((n) => document.querySelector('#box-en').shadowRoot
      .querySelectorAll('[role=option]').length === n, expected.hits.length);
    const titles = await box.locator('[role=option] .title').allTextContents();
    assert.deepEqual(titles, expected.hits.map((h) => h.title));
    assert.match(await box.locator('.status').textContent(), new RegExp(`${expected.total} talks? found`));
    const first = box.locator('[role=option]').first();
    assert.equal(await first.getAttribute('href'),
      `${host.base}talks/${encodeURIComponent(expected.hits[0].id)}?from=box`);
    assert.ok(await box.locator('[role=option] mark').count() > 0, 'snippets keep their marks');
    // Titles are marked by searchd, the box only renders the marks.
    const markedTitle = expected.hits.findIndex((h) => h.marked && /<mark>/.test(h.marked.title));
    assert.ok(markedTitle >= 0, 'searchd marks a title holding the word');
    assert.equal(await box.locator('[role=option] .title').nth(markedTitle).locator('mark').count() > 0,
      true, 'the box shows the title\'s marks');

    // The host page's CSS stays out; its theme variable comes in.
    const look = await page.evaluate(() => {
      const root = document.querySelector('#box-en').shadowRoot;
      const s = getComputedStyle(root.querySelector('input'));
      return { border: s.borderTopWidth, bg: s.backgroundColor,
        title: getComputedStyle(root.querySelector('.title')).fontSize };
    });
    assert.notEqual(look.border, '6px');
    assert.notEqual(look.bg, 'rgb(255, 255, 0)');
    assert.notEqual(look.title, '30px');

    await page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), await first.getAttribute('id'));
    assert.equal(await first.getAttribute('aria-selected'), 'true');
    const shadowAccent = await first.evaluate((e) => getComputedStyle(e).boxShadow);
    assert.match(shadowAccent, /rgb\(176, 48, 106\)/, 'the host themes the accent');
    await page.screenshot({ path: path.join(SHOTS, 'widget.png') });

    await page.keyboard.press('Escape');
    assert.equal(await box.locator('.panel').isHidden(), true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${host.base}talks/**`);
    assert.equal(new URL(page.url()).pathname, `/talks/${encodeURIComponent(expected.hits[0].id)}`);
    await check();
  });

  test('defaults: language from its attribute, links to the search page', async (t) => {
    const { page, check } = await openPage(t);
    await page.goto(host.base);
    const box = page.locator('#box-zh');
    const input = box.locator('input');
    await input.click();
    await input.pressSequentially('社群', { delay: 30 });
    const expected = await api(`api/search?q=${encodeURIComponent('社群')}&size=5`);
    await page.waitForFunction((n) => document.querySelector('#box-zh').shadowRoot
      .querySelectorAll('[role=option]').length === n, expected.hits.length);
    assert.match(await box.locator('.status').textContent(), /找到 \d+ 場議程/);
    assert.equal(await box.locator('[role=option]').first().getAttribute('href'),
      `${daemon.base}?talk=${encodeURIComponent(expected.hits[0].id)}`);
    await check();
  });
});
