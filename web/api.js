// api.js: calls to confsearchd's JSON API (docs/api.md) from the page.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status; // 0 when the server could not be reached
    this.code = code;
  }
}

// Relative to the page, so that the UI also works behind a path prefix.
function apiURL(path, params) {
  const url = new URL(path, document.baseURI);
  for (const [k, v] of params) url.searchParams.append(k, v);
  return url;
}

export async function getJSON(path, params = [], signal) {
  let res;
  try {
    res = await fetch(apiURL(path, params), { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e.message);
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    body = null;
  }
  if (!res.ok) {
    const err = body && body.error;
    throw new ApiError(res.status, err ? err.code : 'http', err ? err.message : res.statusText);
  }
  return body;
}

// The parameters of a search for the state's query and filters.
export function searchParams(state, extra = {}) {
  const p = [['q', state.q]];
  for (const facet of ['day', 'room', 'speaker'])
    for (const v of state[facet]) p.push([facet, v]);
  for (const [k, v] of Object.entries(extra)) p.push([k, String(v)]);
  return p;
}

// Every hit of a query, 100 at a time (the API's largest page), up to a
// bound that keeps a huge programme from stalling the page.
export async function allHits(params, signal, maxPages = 50) {
  const hits = [];
  let total = Infinity;
  for (let page = 1; page <= maxPages && hits.length < total; page++) {
    const ans = await getJSON(
      'api/search',
      [...params, ['size', '100'], ['page', String(page)], ['facets', '']],
      signal,
    );
    total = ans.total;
    hits.push(...ans.hits);
    if (ans.hits.length === 0) break;
  }
  return hits;
}
