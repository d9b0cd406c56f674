// i18n.js: the page's words in Traditional Chinese and English, and the
// choice between them (browser language first, then the visitor's own pick).

const STORAGE_KEY = 'confsearch.lang';

const strings = {
  'zh-Hant': {
    title: '會議共筆搜尋',
    tagline: '搜尋每一場議程的共筆',
    searchLabel: '搜尋議程',
    searchPlaceholder: '例如 asyncio、社群',
    searchButton: '搜尋',
    keyHint: '↑↓ 移動　Enter 開啟　Esc 清除',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    viewList: '搜尋結果',
    viewSchedule: '議程表',
    viewsLabel: '檢視方式',
    filters: '篩選',
    facetDay: '日期',
    facetConference: '研討會',
    facetTrack: '主題軌',
    facetRoom: '會議室',
    facetSpeaker: '講者',
    clearAll: '清除所有篩選',
    showAllSpeakers: (n) => `顯示全部 ${n} 位講者`,
    showFewerSpeakers: '收合講者',
    dayLabel: (d) => `第 ${d} 天`,
    talks: (n) => `${n} 場議程`,
    total: (n) => `共 ${n} 場議程`,
    totalApprox: (n) => `約 ${n} 場議程`,
    resultsFor: (n, q) => `「${q}」找到 ${n} 場議程`,
    pageOf: (p, n) => `第 ${p} 頁，共 ${n} 頁`,
    prev: '上一頁',
    next: '下一頁',
    pagination: '分頁',
    chipCount: (v, n) => `${v}，${n} 場`,
    introTitle: '從共筆裡找議程',
    introBody: (n) => `在 ${n} 場議程的共筆中搜尋。標題與講者的比對排在前面。`,
    introTips: '搜尋語法',
    tipWords: '兩個詞都要出現',
    tipPhrase: '完整片語',
    tipExclude: '排除某個詞',
    tipOr: '任一個詞',
    tipPrefix: '開頭相符',
    tipFilter: '只看某會議室、某天',
    browseSchedule: '瀏覽完整議程表',
    noResults: (q) => (q ? `沒有議程符合「${q}」。` : '沒有議程符合目前的篩選。'),
    noResultsHelp: '試試較少或較短的關鍵字，或清除篩選。',
    didYouMean: '您是不是要找：',
    searching: '搜尋中…',
    stillSearching: '仍在搜尋中，請稍候…',
    errUnavailable: '搜尋索引目前無法使用，請稍後再試。',
    errBadQuery: (m) => `無法理解這個查詢：${m}`,
    errNetwork: '無法連線到搜尋伺服器。',
    errOther: (s) => `搜尋失敗（HTTP ${s}）。`,
    retry: '重試',
    close: '關閉',
    talkLoading: '載入議程中…',
    talkNotFound: '找不到這場議程，可能已從共筆中移除。',
    talkSource: (f, l) => `出處：${f} 第 ${l} 行`,
    talkLink: '這場議程的連結',
    similarTalks: '相似的議程',
    emptyBody: '（這場議程沒有共筆內容）',
    noNotesYet: '尚無共筆',
    officialPage: '官方議程頁',
    minutes: (n) => `${n} 分鐘`,
    fromAbstract: '摘要：',
    abstractHeading: '議程摘要',
    notesHeading: '共筆',
    scheduleTitle: '議程表',
    scheduleAll: (n) => `全部 ${n} 場議程。輸入關鍵字或選擇篩選條件，符合的議程會被標示出來。`,
    scheduleMatches: (m, n) => `${n} 場中有 ${m} 場符合（已標示）。`,
    scheduleLoading: '載入議程表中…',
    time: '時間',
    match: '符合',
    dayHeading: (d, date) => (date ? `第 ${d} 天 · ${date}` : `第 ${d} 天`),
    tookMs: (ms) => `${ms} 毫秒`,
  },
  en: {
    title: 'Conference notes search',
    tagline: 'Search the shared notes of every talk',
    searchLabel: 'Search talks',
    searchPlaceholder: 'e.g. asyncio, 社群',
    searchButton: 'Search',
    keyHint: '↑↓ move · Enter opens · Esc clears',
    switchLang: '中文',
    switchLangLabel: '切換為中文',
    viewList: 'Results',
    viewSchedule: 'Schedule',
    viewsLabel: 'View',
    filters: 'Filters',
    facetDay: 'Day',
    facetConference: 'Conference',
    facetTrack: 'Track',
    facetRoom: 'Room',
    facetSpeaker: 'Speaker',
    clearAll: 'Clear all filters',
    showAllSpeakers: (n) => `Show all ${n} speakers`,
    showFewerSpeakers: 'Show fewer speakers',
    dayLabel: (d) => `Day ${d}`,
    talks: (n) => (n === 1 ? '1 talk' : `${n} talks`),
    total: (n) => (n === 1 ? '1 talk' : `${n} talks`),
    totalApprox: (n) => `about ${n} talks`,
    resultsFor: (n, q) => `${n === 1 ? '1 talk' : `${n} talks`} for “${q}”`,
    pageOf: (p, n) => `Page ${p} of ${n}`,
    prev: 'Previous',
    next: 'Next',
    pagination: 'Pages',
    chipCount: (v, n) => `${v}, ${n === 1 ? '1 talk' : `${n} talks`}`,
    introTitle: 'Find a talk in the notes',
    introBody: (n) =>
      `Search the shared notes of ${n} talks. Matches in titles and speakers rank first.`,
    introTips: 'Query language',
    tipWords: 'both words',
    tipPhrase: 'the exact phrase',
    tipExclude: 'without a word',
    tipOr: 'either word',
    tipPrefix: 'words starting with',
    tipFilter: 'only one room or day',
    browseSchedule: 'Browse the whole schedule',
    noResults: (q) => (q ? `No talks match “${q}”.` : 'No talks match these filters.'),
    noResultsHelp: 'Try fewer or shorter words, or clear the filters.',
    didYouMean: 'Did you mean:',
    searching: 'Searching…',
    stillSearching: 'Still searching…',
    errUnavailable: 'The index is unavailable right now. Please try again in a moment.',
    errBadQuery: (m) => `This query cannot be searched: ${m}`,
    errNetwork: 'Cannot reach the search server.',
    errOther: (s) => `The search failed (HTTP ${s}).`,
    retry: 'Try again',
    close: 'Close',
    talkLoading: 'Loading the talk…',
    talkNotFound: 'This talk is not in the index (it may have been removed from the notes).',
    talkSource: (f, l) => `From ${f}, line ${l}`,
    talkLink: 'Link to this talk',
    similarTalks: 'Similar talks',
    emptyBody: '(No notes were taken for this talk.)',
    noNotesYet: 'No notes yet',
    officialPage: 'Official page',
    minutes: (n) => `${n} min`,
    fromAbstract: 'Abstract: ',
    abstractHeading: 'Abstract',
    notesHeading: 'Notes',
    scheduleTitle: 'Schedule',
    scheduleAll: (n) =>
      `All ${n} talks. Type a query or pick filters and the matching talks stand out.`,
    scheduleMatches: (m, n) => `${m} of ${n} talks match (highlighted).`,
    scheduleLoading: 'Loading the schedule…',
    time: 'Time',
    match: 'match',
    dayHeading: (d, date) => (date ? `Day ${d} · ${date}` : `Day ${d}`),
    tookMs: (ms) => `${ms} ms`,
  },
};

export const LANGS = Object.keys(strings);

function fromBrowser() {
  const prefs = navigator.languages && navigator.languages.length
    ? navigator.languages
    : [navigator.language || 'en'];
  for (const tag of prefs) {
    const t = String(tag).toLowerCase();
    if (t.startsWith('zh')) return 'zh-Hant';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

function stored() {
  // Storage can throw (disabled cookies, sandboxed frames): then the
  // browser's language decides every time.
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v && strings[v] ? v : null;
  } catch {
    return null;
  }
}

let current = stored() || fromBrowser();

export function lang() {
  return current;
}

export function setLang(l) {
  if (!strings[l]) return;
  current = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* not remembered, still switched */
  }
}

// t('total', 3): a plain string, or a function of the arguments.
export function t(key, ...args) {
  const v = strings[current][key] ?? strings.en[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}
