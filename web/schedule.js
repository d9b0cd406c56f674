// schedule.js: the programme as a day × time × room grid, one table per day,
// with the talks that match the current search standing out.

import { t } from './i18n.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// talks: every talk (the API's hits); matching: a Set of ids that match the
// search, or null when there is no search (nothing is singled out).
// hrefFor(id) gives the link of a talk; opening is left to the page.
export function renderSchedule(container, talks, matching, hrefFor) {
  const byDay = new Map();
  for (const talk of talks) {
    const day = String(talk.day ?? '');
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(talk);
  }
  const frag = document.createDocumentFragment();
  for (const day of [...byDay.keys()].sort(collator.compare)) {
    const list = byDay.get(day);
    const date = list.find((x) => x.date)?.date ?? '';
    const rooms = [...new Set(list.map((x) => x.room || ''))].sort(collator.compare);
    const times = [...new Set(list.map((x) => x.time || ''))].sort(collator.compare);

    const section = el('section', 'day');
    const headingId = `day-${day}`;
    const h = el('h2', 'day-heading', t('dayHeading', day, date));
    h.id = headingId;
    section.append(h);

    // The table scrolls sideways on its own when rooms outgrow the page;
    // a focusable region lets keyboard users scroll it too.
    const scroller = el('div', 'grid-scroll');
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-labelledby', headingId);
    const table = el('table', 'grid');
    const head = el('thead');
    const hr = el('tr');
    const corner = el('th', 'grid-time', t('time'));
    corner.scope = 'col';
    hr.append(corner);
    for (const room of rooms) {
      const th = el('th', 'grid-room', room || '—');
      th.scope = 'col';
      hr.append(th);
    }
    head.append(hr);
    table.append(head);

    // A talk with an end time spans the rows of the times it covers (a
    // 90-minute workshop beside two 45-minute talks); the cells it covers
    // are not drawn again.
    const spanOf = (talk) => {
      if (!talk.end_time || !talk.time) return 1;
      const from = times.indexOf(talk.time);
      let rows = 1;
      while (from + rows < times.length && times[from + rows] && times[from + rows] < talk.end_time) rows++;
      return rows;
    };
    const covered = new Set(); // "row|room" cells under a longer talk
    const body = el('tbody');
    times.forEach((time, row) => {
      const tr = el('tr');
      const th = el('th', 'grid-time', time || '—');
      th.scope = 'row';
      tr.append(th);
      for (const room of rooms) {
        if (covered.has(`${row}|${room}`)) continue;
        const td = el('td', 'grid-cell');
        td.dataset.room = room || '—';
        let span = 1;
        for (const talk of list) {
          if ((talk.time || '') !== time || (talk.room || '') !== room) continue;
          td.append(slot(talk, matching, hrefFor));
          span = Math.max(span, spanOf(talk));
        }
        if (span > 1) {
          td.rowSpan = span;
          for (let k = 1; k < span; k++) covered.add(`${row + k}|${room}`);
        }
        if (!td.childNodes.length) td.classList.add('grid-empty');
        tr.append(td);
      }
      body.append(tr);
    });
    table.append(body);
    scroller.append(table);
    section.append(scroller);
    frag.append(section);
  }
  container.replaceChildren(frag);
}

function slot(talk, matching, hrefFor) {
  const a = el('a', 'slot');
  a.href = hrefFor(talk.id);
  a.dataset.id = talk.id;
  const isMatch = matching ? matching.has(talk.id) : false;
  a.dataset.match = String(isMatch);
  if (matching) a.classList.add(isMatch ? 'slot-match' : 'slot-other');
  a.append(el('span', 'slot-title', talk.title || talk.id));
  const speakers = (talk.speakers && talk.speakers.length ? talk.speakers : [talk.speaker])
    .filter(Boolean)
    .join(', ');
  if (speakers) a.append(el('span', 'slot-speaker', speakers));
  if (isMatch) a.append(el('span', 'slot-badge', t('match')));
  return a;
}
