/* gen_corpus.c: writes a deterministic, seeded corpus of conference notes
 * pads (schema/README.md's pad format) for the benchmarks, plus the same
 * talks in the input formats of the peers (Sphinx xmlpipe2, Omega's
 * scriptindex) and the query mix that bench/run.sh sends to all of them.
 *
 * The text imitates the proportions of real collaborative notes (about
 * 70% non-blank lines of ~30 characters, one in seven with Traditional
 * Chinese, ~13% of the bytes Chinese, a couple of URLs and a few code
 * lines per talk) with Zipf-distributed vocabularies, so there are
 * frequent words, rare words and a long tail, as a search engine meets
 * them.  Every word list below was written for this file.
 *
 * Same arguments, same bytes: each pad has its own random stream derived
 * from the seed and its number, so one pad can be regenerated (or edited,
 * --change-percent) without generating the others. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- word lists ----------------------------------------------------------- */

/* English function words, most frequent first. */
static const char *const en_function[] = {
    "the",   "to",     "and",     "a",      "of",    "is",      "in",        "it",      "you",
    "that",  "for",    "we",      "this",   "can",   "be",      "on",        "with",    "not",
    "are",   "have",   "I",       "but",    "so",    "if",      "as",        "do",      "will",
    "or",    "use",    "from",    "at",     "by",    "all",     "they",      "how",     "there",
    "what",  "when",   "an",      "more",   "one",   "just",    "about",     "our",     "your",
    "has",   "was",    "like",    "which",  "only",  "some",    "also",      "need",    "very",
    "then",  "than",   "get",     "make",   "no",    "each",    "any",       "into",    "most",
    "other", "many",   "after",   "before", "why",   "where",   "who",       "much",    "even",
    "still", "every",  "because", "should", "would", "could",   "may",       "too",     "over",
    "here",  "now",    "same",    "new",    "first", "good",    "different", "way",     "well",
    "out",   "up",     "them",    "their",  "these", "those",   "its",       "been",    "being",
    "were",  "does",   "did",     "done",   "yet",   "both",    "few",       "own",     "again",
    "never", "always", "often",   "less",   "while", "through", "without",   "between", "under",
    "per",   "via",    "almost",  "really", "quite"};

/* English content words, roughly most frequent first; a synthetic tail of
 * pronounceable rare words follows them (tail_word). */
static const char *const en_content[] = {"python",        "code",
                                         "data",          "test",
                                         "server",        "user",
                                         "function",      "time",
                                         "file",          "library",
                                         "system",        "model",
                                         "project",       "module",
                                         "performance",   "team",
                                         "service",       "memory",
                                         "example",       "problem",
                                         "version",       "database",
                                         "web",           "app",
                                         "framework",     "tool",
                                         "class",         "object",
                                         "question",      "language",
                                         "design",        "community",
                                         "package",       "type",
                                         "process",       "thread",
                                         "request",       "response",
                                         "network",       "cloud",
                                         "storage",       "docker",
                                         "django",        "deploy",
                                         "build",         "run",
                                         "write",         "read",
                                         "debug",         "profile",
                                         "cache",         "query",
                                         "index",         "search",
                                         "event",         "async",
                                         "loop",          "callback",
                                         "error",         "exception",
                                         "log",           "config",
                                         "environment",   "container",
                                         "cluster",       "node",
                                         "kubernetes",    "linux",
                                         "kernel",        "compiler",
                                         "runtime",       "interpreter",
                                         "bytecode",      "stack",
                                         "heap",          "pointer",
                                         "string",        "list",
                                         "dict",          "tuple",
                                         "array",         "vector",
                                         "matrix",        "tensor",
                                         "image",         "video",
                                         "audio",         "stream",
                                         "pipeline",      "workflow",
                                         "task",          "queue",
                                         "worker",        "scheduler",
                                         "message",       "protocol",
                                         "http",          "json",
                                         "yaml",          "sql",
                                         "schema",        "table",
                                         "column",        "row",
                                         "key",           "value",
                                         "hash",          "security",
                                         "attack",        "password",
                                         "token",         "auth",
                                         "session",       "cookie",
                                         "browser",       "frontend",
                                         "backend",       "javascript",
                                         "typescript",    "react",
                                         "css",           "html",
                                         "mobile",        "android",
                                         "game",          "player",
                                         "engine",        "graphics",
                                         "render",        "sensor",
                                         "device",        "hardware",
                                         "embedded",      "firmware",
                                         "robot",         "drone",
                                         "map",           "location",
                                         "gis",           "visualization",
                                         "chart",         "dashboard",
                                         "report",        "metric",
                                         "monitor",       "alert",
                                         "trace",         "benchmark",
                                         "latency",       "throughput",
                                         "scale",         "scaling",
                                         "load",          "traffic",
                                         "cost",          "startup",
                                         "company",       "product",
                                         "customer",      "market",
                                         "business",      "open",
                                         "source",        "license",
                                         "contributor",   "maintainer",
                                         "review",        "commit",
                                         "branch",        "merge",
                                         "git",           "github",
                                         "issue",         "bug",
                                         "fix",           "patch",
                                         "release",       "feature",
                                         "refactor",      "legacy",
                                         "migration",     "upgrade",
                                         "deployment",    "deployed",
                                         "deploying",     "python3",
                                         "pypy",          "cython",
                                         "numpy",         "pandas",
                                         "scipy",         "jupyter",
                                         "notebook",      "matplotlib",
                                         "tensorflow",    "pytorch",
                                         "keras",         "learning",
                                         "training",      "inference",
                                         "dataset",       "label",
                                         "accuracy",      "prediction",
                                         "regression",    "classification",
                                         "clustering",    "neural",
                                         "deep",          "gradient",
                                         "optimization",  "algorithm",
                                         "graph",         "tree",
                                         "sort",          "recursion",
                                         "iteration",     "generator",
                                         "decorator",     "context",
                                         "manager",       "coroutine",
                                         "asyncio",       "twisted",
                                         "tornado",       "flask",
                                         "fastapi",       "celery",
                                         "redis",         "postgres",
                                         "mysql",         "sqlite",
                                         "mongodb",       "elasticsearch",
                                         "kafka",         "spark",
                                         "hadoop",        "airflow",
                                         "terraform",     "ansible",
                                         "jenkins",       "pytest",
                                         "unittest",      "mock",
                                         "fixture",       "coverage",
                                         "lint",          "typing",
                                         "mypy",          "annotation",
                                         "documentation", "docs",
                                         "tutorial",      "workshop",
                                         "slide",         "demo",
                                         "talk",          "speaker",
                                         "keynote",       "sprint",
                                         "meetup",        "conference",
                                         "student",       "teacher",
                                         "education",     "school",
                                         "course",        "beginner",
                                         "career",        "job",
                                         "interview",     "hiring",
                                         "remote",        "culture",
                                         "diversity",     "volunteer",
                                         "organizer",     "sponsor",
                                         "translation",   "unicode",
                                         "encoding",      "font",
                                         "chinese",       "english",
                                         "text",          "nlp",
                                         "tokenizer",     "segmentation",
                                         "word",          "sentence",
                                         "corpus",        "dictionary",
                                         "grammar",       "parse",
                                         "parser",        "lexer",
                                         "ast",           "syntax",
                                         "semantic",      "compile",
                                         "optimize",      "jit",
                                         "gil",           "multiprocessing",
                                         "threading",     "concurrency",
                                         "parallel",      "distributed",
                                         "consensus",     "replication",
                                         "backup",        "recovery",
                                         "failover",      "availability",
                                         "reliability",   "observability",
                                         "telemetry",     "tracing",
                                         "profiling",     "leak",
                                         "garbage",       "collector",
                                         "reference",     "allocation",
                                         "buffer",        "socket",
                                         "tcp",           "udp",
                                         "dns",           "proxy",
                                         "gateway",       "router",
                                         "firewall",      "ssh",
                                         "tls",           "certificate",
                                         "encryption",    "crypto",
                                         "wallet",        "finance",
                                         "trading",       "portfolio",
                                         "risk",          "stock",
                                         "price",         "weather",
                                         "health",        "hospital",
                                         "medical",       "gene",
                                         "biology",       "chemistry",
                                         "physics",       "astronomy",
                                         "telescope",     "satellite",
                                         "energy",        "solar",
                                         "battery",       "car",
                                         "transport",     "bus",
                                         "train",         "city",
                                         "government",    "civic",
                                         "election",      "vote",
                                         "law",           "policy",
                                         "privacy",       "ethics",
                                         "accessibility", "keyboard",
                                         "terminal",      "shell",
                                         "editor",        "vim",
                                         "emacs",         "plugin",
                                         "extension",     "binding",
                                         "wrapper",       "ffi",
                                         "abi",           "wasm",
                                         "webassembly",   "microservice",
                                         "monolith",      "serverless",
                                         "lambda",        "endpoint",
                                         "webhook",       "oauth",
                                         "graphql",       "grpc",
                                         "rest",          "restful",
                                         "websocket",     "latex",
                                         "markdown",      "sphinx",
                                         "readthedocs",   "pip",
                                         "conda",         "virtualenv",
                                         "poetry",        "wheel",
                                         "setuptools",    "pypi",
                                         "dependency",    "requirement",
                                         "lockfile",      "vendor",
                                         "fork",          "upstream",
                                         "downstream",    "roadmap",
                                         "milestone",     "deadline",
                                         "estimate",      "prototype",
                                         "mvp",           "feedback",
                                         "experiment",    "hypothesis",
                                         "statistics",    "probability",
                                         "bayesian",      "sampling",
                                         "simulation",    "monte",
                                         "carlo",         "physics",
                                         "orbit",         "pixel",
                                         "shader",        "texture",
                                         "animation",     "sprite",
                                         "collision",     "multiplayer",
                                         "matchmaking",   "lobby",
                                         "shard",         "replica",
                                         "partition",     "snapshot",
                                         "checkpoint",    "rollback",
                                         "transaction",   "lock",
                                         "deadlock",      "mutex",
                                         "semaphore",     "atomic",
                                         "lockless",      "scheduler",
                                         "preemption",    "interrupt",
                                         "driver",        "usb",
                                         "gpio",          "serial",
                                         "bluetooth",     "wifi",
                                         "lora",          "arduino",
                                         "raspberry",     "micropython",
                                         "circuitpython", "zeppelin",
                                         "quokka",        "origami",
                                         "lighthouse",    "harbor",
                                         "typhoon",       "bubbletea",
                                         "nightmarket",   "scooter",
                                         "mahjong"};

/* Two-word phrases, drawn as one unit so that phrase queries have hits. */
static const char *const en_phrases[] = {"machine learning",
                                         "game server",
                                         "unit test",
                                         "data pipeline",
                                         "web scraping",
                                         "type hints",
                                         "open source",
                                         "code review",
                                         "event loop",
                                         "memory leak",
                                         "continuous integration",
                                         "neural network",
                                         "deep learning",
                                         "big data",
                                         "message queue",
                                         "load balancer",
                                         "virtual machine",
                                         "static analysis",
                                         "garbage collection",
                                         "pull request",
                                         "time series",
                                         "feature flag",
                                         "hot path",
                                         "cold start",
                                         "rate limit",
                                         "dead letter",
                                         "blue green",
                                         "happy path"};

/* Proper names of technologies, as titles and sentences spell them. */
static const char *const tech_names[] = {
    "Python",     "Django",   "Flask",       "FastAPI",      "Celery",         "Redis",
    "PostgreSQL", "Docker",   "Kubernetes",  "Ansible",      "Terraform",      "OpenStack",
    "Rust",       "Go",       "JavaScript",  "TypeScript",   "React",          "Vue",
    "Pandas",     "NumPy",    "SciPy",       "Jupyter",      "TensorFlow",     "PyTorch",
    "Keras",      "Spark",    "Kafka",       "Airflow",      "Elasticsearch",  "MongoDB",
    "SQLite",     "MySQL",    "Linux",       "Raspberry Pi", "Arduino",        "MicroPython",
    "CPython",    "PyPy",     "Cython",      "asyncio",      "Twisted",        "Tornado",
    "GraphQL",    "gRPC",     "WebAssembly", "Unity",        "Blender",        "OpenCV",
    "QGIS",       "LINE Bot", "Telegram",    "Slack",        "GitHub Actions", "Jenkins",
    "GitLab",     "Sentry",   "Grafana",     "Prometheus",   "Xapian",         "ICU",
    "LLVM",       "Emacs"};

/* Traditional Chinese words, roughly most frequent first; a synthetic tail
 * of two-character words follows them (tail_zh). */
static const char *const zh_words[] = {
    "的",     "是",     "在",     "了",       "有",     "我們",     "可以",     "這個",
    "不",     "會",     "就是",   "要",       "一個",   "用",       "大家",     "如果",
    "因為",   "所以",   "但是",   "還是",     "自己",   "什麼",     "怎麼",     "時候",
    "問題",   "使用",   "需要",   "方式",     "可能",   "現在",     "然後",     "其實",
    "比較",   "覺得",   "開始",   "知道",     "今天",   "講者",     "分享",     "介紹",
    "測試",   "程式",   "程式碼", "系統",     "資料",   "資料庫",   "伺服器",   "效能",
    "部署",   "開發",   "開發者", "工程師",   "專案",   "社群",     "架構",     "設計",
    "功能",   "應用",   "服務",   "使用者",   "網站",   "網路",     "環境",     "工具",
    "套件",   "框架",   "語言",   "模組",     "函式",   "物件",     "變數",     "參數",
    "記憶體", "執行",   "編譯",   "除錯",     "錯誤",   "例外",     "日誌",     "監控",
    "快取",   "搜尋",   "索引",   "查詢",     "排序",   "演算法",   "機器學習", "深度學習",
    "模型",   "訓練",   "預測",   "分類",     "資料集", "特徵",     "準確率",   "視覺化",
    "圖表",   "分析",   "統計",   "數學",     "影像",   "辨識",     "語音",     "文字",
    "斷詞",   "中文",   "英文",   "翻譯",     "文件",   "教學",     "入門",     "新手",
    "學生",   "老師",   "學校",   "課程",     "工作坊", "議程",     "投影片",   "範例",
    "展示",   "實作",   "實務",   "經驗",     "心得",   "建議",     "重點",     "優點",
    "缺點",   "優缺點", "好處",   "成本",     "時間",   "速度",     "規模",     "擴展",
    "平行",   "非同步", "同步",   "執行緒",   "行程",   "佇列",     "訊息",     "事件",
    "請求",   "回應",   "連線",   "安全",     "漏洞",   "攻擊",     "密碼",     "加密",
    "憑證",   "權限",   "帳號",   "登入",     "手機",   "裝置",     "硬體",     "感測器",
    "嵌入式", "機器人", "遊戲",   "玩家",     "引擎",   "地圖",     "位置",     "交通",
    "天氣",   "醫療",   "健康",   "金融",     "交易",   "股票",     "政府",     "開放資料",
    "公民",   "選舉",   "法律",   "隱私",     "授權",   "開源",     "貢獻",     "維護",
    "版本",   "升級",   "遷移",   "重構",     "自動化", "持續整合", "容器",     "雲端",
    "叢集",   "節點",   "虛擬機", "作業系統", "核心",   "瀏覽器",   "前端",     "後端",
    "介面",   "操作",   "流程",   "團隊",     "公司",   "產品",     "客戶",     "市場",
    "創業",   "職涯",   "面試",   "文化",     "志工",   "贊助",     "會場",     "報到",
    "午餐",   "休息",   "提問",   "回答",     "討論",   "會後",     "請舉手",   "舉手",
    "謝謝",   "推薦",   "注意",   "小心",     "簡單",   "複雜",     "重要",     "容易",
    "困難",   "有趣",   "實用",   "好用",     "超好用", "直接",     "目前",     "未來",
    "過去",   "最後",   "首先",   "另外",     "例如",   "或是",     "而且",     "不過",
    "只要",   "一樣",   "不同",   "很多",     "一些",   "每個",     "所有",     "大部分",
    "幾乎",   "非常",   "真的",   "應該",     "必須",   "希望",     "想要",     "嘗試",
    "解決",   "處理",   "改善",   "優化",     "支援",   "整合",     "提供",     "建立",
    "產生",   "設定",   "安裝",   "下載",     "上傳",   "寫",       "看",       "跑",
    "做",     "讓",     "把",     "被",       "給",     "跟",       "和",       "與",
    "也",     "都",     "還",     "又",       "就",     "才",       "很",       "更",
    "最",     "沒有",   "說",     "想",       "嗎",     "吧",       "呢",       "啊",
    "喔",     "燈塔",   "港口",   "颱風",     "夜市",   "珍珠奶茶", "機車",     "麻將",
    "鳳梨酥", "高鐵",   "捷運"};

/* Characters the two-character tail of the Chinese vocabulary is made of. */
static const char zh_tail_chars[] =
    "天地人日月山水火木金土風雲雨雪花草樹林森石田米竹車船門窗書畫字詞句文言語心手口目"
    "耳足身頭面光電氣聲色香味音樂歌舞劇戲影像圖表數理化學術法律規則例題答案問思考想念記"
    "憶忘知識能力量速度高低長短大小多少新舊快慢早晚前後左右上下內外東西南北中間點線面體"
    "網路站台機器具材料料理工廠商店市場價值錢財物品質數碼號碼程序流轉換變動靜態形狀狀況"
    "環境界限制度規模型式樣本源頭尾端口岸邊緣角落層級次序列隊伍組織團體社會國家城鎮村里";

static const char *const surnames[] = {
    "Chen",  "Lin",   "Huang",  "Chang", "Lee",    "Wang",  "Wu",   "Liu",  "Tsai",  "Yang",
    "Hsu",   "Cheng", "Hsieh",  "Kuo",   "Hung",   "Tseng", "Chiu", "Liao", "Lai",   "Chou",
    "Yeh",   "Su",    "Chuang", "Lu",    "Chiang", "Ho",    "Lo",   "Kao",  "Hsiao", "Pan",
    "Chien", "Fan",   "Peng",   "Tu",    "Yu",     "Wei",   "Shih", "Tang", "Fang",  "Lan",
    "Tsao",  "Yen",   "Sung",   "Teng",  "Hou",    "Kang"};
static const char *const given_syllables[] = {
    "Chia", "Yi",   "Hsuan",  "Wei", "Ting",  "Yu",   "Chun", "Hao",   "Chih",  "Ming",
    "Hsin", "Jung", "Kai",    "Tzu", "Pei",   "Shan", "Han",  "Yen",   "Ching", "Hung",
    "Po",   "An",   "Chieh",  "Hui", "Ling",  "Fang", "Jen",  "Sheng", "Wen",   "Kuan",
    "Yun",  "Yao",  "Hsiang", "Lun", "Tsung", "Feng", "Ya",   "Li",    "Hua"};
static const char *const first_names[] = {
    "Alice", "Ben",   "Carol", "Daniel", "Emma",   "Frank",  "Grace",   "Henry", "Irene", "Jack",
    "Kate",  "Leo",   "Maria", "Noah",   "Olivia", "Paul",   "Quinn",   "Rosa",  "Sam",   "Tina",
    "Umar",  "Vera",  "Will",  "Xavier", "Yuki",   "Zoe",    "Hiroshi", "Kenji", "Akiko", "Minh",
    "Arjun", "Priya", "Ahmad", "Siti",   "Hyun",   "Ji-woo", "Lukas",   "Ines"};
static const char *const last_names[] = {
    "Smith",  "Tanaka",   "Nguyen", "Kim",    "Park",     "Garcia", "Müller", "Rossi",
    "Silva",  "Brown",    "Sato",   "Suzuki", "Watanabe", "Ito",    "Patel",  "Singh",
    "Santos", "Tan",      "Lim",    "Ong",    "Teo",      "Cohen",  "Novak",  "Dubois",
    "Jensen", "Kowalski", "Ivanov", "Costa",  "Martin",   "Walker", "Young",  "Wright",
    "Clarke", "Evans",    "Hughes", "Murphy", "Schmidt",  "Okafor"};

static const char *const brands[] = {
    "PyCon",     "COSCUP",     "SITCON",    "HITCON",    "MOPCON",       "JSDC",
    "RubyConf",  "GopherCon",  "DevFest",   "DataCon",   "OSDC",         "FOSSASIA",
    "RustCon",   "KubeSummit", "WebConf",   "AI Summit", "Agile Summit", "ML Day",
    "CloudConf", "g0v Summit", "DjangoCon", "PyData",    "SciPy",        "LinuxCon"};
static const char *const regions[] = {"TW", "APAC", "JP",     "KR",     "HK",
                                      "SG", "MY",   "Taipei", "Tainan", "Kaohsiung"};
static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

static const char *const slot_times[] = {"9:10",  "10:00", "10:50", "11:40", "13:30",
                                         "14:20", "15:10", "16:00", "16:50", "17:40"};
#define N_SLOTS 10
#define N_ROOMS 6
#define LUNCH_AFTER_SLOT 3

static const char *const consonants[] = {
    "b", "c", "d",  "f",  "g",  "h",  "j",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v",
    "w", "z", "br", "cl", "dr", "fl", "gr", "pl", "pr", "sk", "st", "tr", "sh", "ch", "qu", "th"};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"};
static const char *const finals[] = {"", "", "", "n", "r", "s", "x", "l", "m", "t", "ck", "nd"};

/* ---- random numbers ------------------------------------------------------- */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t mix2(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0xD6E8FEB86659FD93ull);
    return splitmix64(&x);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: small, fast, and the same sequence on every platform. */
static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static uint32_t rng_below(rng_t *r, uint32_t n)
{
    return n ? (uint32_t)((rng_next(r) >> 32) * n >> 32) : 0;
}

static double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int chance(rng_t *r, double p)
{
    return rng_unit(r) < p;
}

static double rng_normal(rng_t *r)
{
    double u = rng_unit(r), v = rng_unit(r);
    return sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(6.283185307179586 * v);
}

/* ---- Zipf vocabularies ---------------------------------------------------- */

typedef struct {
    double *cdf;
    size_t n;
} zipf_t;

/* Rank r (from 0) weighs 1/(r + q)^s: s near 1 is what natural text shows,
 * q flattens the head a little so the top words do not swamp everything. */
static void zipf_init(zipf_t *z, size_t n, double s, double q)
{
    z->n = n;
    z->cdf = malloc(n * sizeof *z->cdf);
    if (!z->cdf) {
        perror("gen_corpus");
        exit(1);
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += 1.0 / pow((double)i + q, s);
        z->cdf[i] = sum;
    }
    for (size_t i = 0; i < n; i++)
        z->cdf[i] /= sum;
}

static size_t zipf_draw(const zipf_t *z, rng_t *r)
{
    double u = rng_unit(r);
    size_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#define EN_TAIL 40000
#define ZH_TAIL 6000

static zipf_t zipf_function, zipf_en, zipf_zh, zipf_tech, zipf_phrase, zipf_speaker;
static size_t n_speakers;

/* The rank-th synthetic English word (rank counts from 0 within the tail):
 * two or three syllables built from a hash of the rank. */
static void tail_word(size_t rank, char *buf, size_t cap)
{
    uint64_t h = mix2(0x7461696cull, rank);
    size_t at = 0;
    int syllables = 2 + (int)(h % 2);
    h /= 2;
    for (int i = 0; i < syllables; i++) {
        const char *c = consonants[h % ARRAY_LEN(consonants)];
        h /= ARRAY_LEN(consonants);
        const char *v = vowels[h % ARRAY_LEN(vowels)];
        h /= ARRAY_LEN(vowels);
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", c, v);
        if (h == 0)
            h = mix2(h, rank + (size_t)i);
    }
    snprintf(buf + at, cap - at, "%s", finals[h % ARRAY_LEN(finals)]);
}

/* The English content word of a rank: the hand list, then the tail. */
static void en_word(size_t rank, char *buf, size_t cap)
{
    if (rank < ARRAY_LEN(en_content))
        snprintf(buf, cap, "%s", en_content[rank]);
    else
        tail_word(rank - ARRAY_LEN(en_content), buf, cap);
}

/* One UTF-8 character (3 bytes) of zh_tail_chars. */
static void zh_char(size_t i, char *out)
{
    size_t n = (sizeof zh_tail_chars - 1) / 3;
    memcpy(out, zh_tail_chars + 3 * (i % n), 3);
}

static void zh_word(size_t rank, char *buf, size_t cap)
{
    if (rank < ARRAY_LEN(zh_words)) {
        snprintf(buf, cap, "%s", zh_words[rank]);
        return;
    }
    uint64_t h = mix2(0x7a68ull, rank);
    zh_char((size_t)(h % 1000), buf);
    zh_char((size_t)(h / 1000 % 1000), buf + 3);
    buf[6] = '\0';
}

/* Speaker number i of the pool: a Taiwanese romanised name for two in
 * three, an international one otherwise. */
static void speaker_name(size_t i, char *buf, size_t cap)
{
    uint64_t h = mix2(0x73706b72ull, i);
    if (h % 3 != 0) {
        h /= 3;
        const char *g1 = given_syllables[h % ARRAY_LEN(given_syllables)];
        h /= ARRAY_LEN(given_syllables);
        const char *g2 = given_syllables[h % ARRAY_LEN(given_syllables)];
        h /= ARRAY_LEN(given_syllables);
        const char *s = surnames[h % ARRAY_LEN(surnames)];
        char second[16];
        snprintf(second, sizeof second, "%s", g2);
        second[0] = (char)(second[0] - 'A' + 'a');
        snprintf(buf, cap, "%s-%s %s", g1, second, s);
    } else {
        h /= 3;
        const char *f = first_names[h % ARRAY_LEN(first_names)];
        h /= ARRAY_LEN(first_names);
        snprintf(buf, cap, "%s %s", f, last_names[h % ARRAY_LEN(last_names)]);
    }
}

/* ---- text building -------------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
} sb_t;

static void sb_reserve(sb_t *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        perror("gen_corpus");
        exit(1);
    }
    b->p = p;
    b->cap = cap;
}

static void sb_put(sb_t *b, const char *s)
{
    size_t n = strlen(s);
    sb_reserve(b, n);
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

__attribute__((format(printf, 2, 3))) static void sb_printf(sb_t *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    sb_reserve(b, (size_t)n);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

static void capitalize(char *w)
{
    if (w[0] >= 'a' && w[0] <= 'z')
        w[0] = (char)(w[0] - 'a' + 'A');
}

static void draw_en(rng_t *r, char *buf, size_t cap)
{
    en_word(zipf_draw(&zipf_en, r), buf, cap);
}

/* A frequent-ish content word, for identifiers and titles, so that code
 * reads like code rather than like the long tail. */
static void draw_en_head(rng_t *r, char *buf, size_t cap)
{
    size_t rank;
    do
        rank = zipf_draw(&zipf_en, r);
    while (rank >= 1500);
    en_word(rank, buf, cap);
}

/* Identifiers are made of the most common words ("user_data_file"), as
 * code is, so that they do not swamp the completions of rarer words. */
static void draw_en_core(rng_t *r, char *buf, size_t cap)
{
    size_t rank;
    do
        rank = zipf_draw(&zipf_en, r);
    while (rank >= 120);
    en_word(rank, buf, cap);
}

static void put_identifier(sb_t *b, rng_t *r, int camel)
{
    int parts = 2 + (int)rng_below(r, 2);
    for (int i = 0; i < parts; i++) {
        char w[64];
        draw_en_core(r, w, sizeof w);
        if (camel)
            capitalize(w);
        else if (i)
            sb_put(b, "_");
        sb_put(b, w);
    }
}

/* ---- mix 2: compounds, Korean and Simplified Chinese ---------------------- */

/* --mix 2 (bench/run.sh --mix 2) adds what real notes also hold and mix 1
 * lacked: dotted, snake, SCREAMING and Camel names with digits, apostrophe
 * names, handles, e-mail addresses, documentation URLs, Korean sentences
 * with particles (most lines of a KR conference's pads, a few elsewhere)
 * and Simplified Chinese lines (SG and MY pads, a few elsewhere).  Every
 * draw of mix 2 happens only under mix 2, so mix 1 (the default) writes
 * the same bytes as before. */
static int g_mix = 1;
static double g_ko_share, g_hans_share; /* of a pad's non-blank body lines */

static const char *const dotted_names[] = {
    "mock.patch",       "numpy.linalg.svd",  "os.path.join",       "asyncio.gather",
    "pytest.fixture",   "pandas.DataFrame",  "torch.nn.Module",    "unittest.mock",
    "json.loads",       "np.linalg.norm",    "sys.path",           "pytest.mark.parametrize",
    "django.db.models", "logging.getLogger", "concurrent.futures", "collections.defaultdict",
    "time.sleep",       "re.compile",        "typing.Optional",    "node.js",
    "socket.io",        "asyncio.run",       "scipy.linalg",       "numpy.linalg.eig",
    "requests.get",     "threading.Thread",  "os.environ",         "subprocess.run"};
static const char *const constant_names[] = {"MAX_WORKERS",  "SECRET_KEY",  "ALLOWED_HOSTS",
                                             "DATABASE_URL", "PYTHONPATH",  "LD_PRELOAD",
                                             "BATCH_SIZE",   "HTTP_PROXY",  "CUDA_VISIBLE_DEVICES",
                                             "DEBUG",        "MAX_RETRIES", "TIMEOUT_SECONDS",
                                             "NUM_WORKERS",  "LOG_LEVEL",   "API_KEY"};
static const char *const camel_names[] = {
    "MyConf2021", "PyConTW2023", "COSCUP2022", "Web3",        "IPv6",           "HTTP2",
    "OAuth2",     "Python3",     "ResNet50",   "getUserData", "HTTPServer",     "DataFrame",
    "K8s",        "i18n",        "GPT4",       "ES2015",      "XMLHttpRequest", "FastAPI2"};
static const char *const apostrophe_words[] = {"O'Reilly", "don't", "it's",     "Python's",
                                               "we're",    "can't", "D'Angelo", "Guido's",
                                               "doesn't",  "I'm",   "pytest's", "that's"};
static const char *const fixed_handles[] = {"my_handle",       "pycon_tw",  "coscup",  "g0v_tw",
                                            "pyladies_taipei", "sitcon_tw", "jupyter", "numpy_team",
                                            "hitcon",          "taipei_py"};
static const char *const email_addresses[] = {"speaker@example.org", "cfp@pycon.tw",
                                              "hi@coscup.org",       "team@example.org",
                                              "sponsor@g0v.tw",      "contact@sitcon.org"};
static const char *const doc_modules[] = {
    "asyncio", "typing",  "unittest.mock",      "functools",   "itertools", "collections",
    "pathlib", "logging", "concurrent.futures", "dataclasses", "json",      "sqlite3"};

/* Korean nouns (a final consonant takes 을/은/이/과/으로, none 를/는/가/와/로). */
static const char *const ko_nouns[] = {
    "파이썬",     "데이터",       "분석",       "데이터분석", "머신러닝", "딥러닝",   "개발자",
    "서버",       "프로젝트",     "커뮤니티",   "발표",       "발표자",   "코드",     "테스트",
    "배포",       "성능",         "라이브러리", "오픈소스",   "컨테이너", "클라우드", "웹",
    "프레임워크", "데이터베이스", "모델",       "학습",       "서비스",   "사용자",   "문제",
    "방법",       "경험",         "질문",       "답변",       "예제",     "도구",     "자동화",
    "자연어처리", "시각화",       "크롤링",     "비동기",     "타입힌트"};
static const char *const ko_adverbs[] = {"오늘",   "정말", "그리고", "하지만", "그래서", "먼저",
                                         "다음에", "직접", "같이",   "많이",   "왜",     "어떻게"};
static const char *const ko_verbs[] = {
    "사용합니다",   "했습니다",     "만들었습니다",   "소개합니다",  "배웠습니다",
    "중요합니다",   "설명했습니다", "할 수 있습니다", "좋아요",      "공유합니다",
    "시작했습니다", "해봤습니다",   "필요합니다",     "개선했습니다"};

/* Simplified Chinese words, roughly most frequent first. */
static const char *const hans_words[] = {
    "的",     "是",     "我们", "可以",     "这个",     "数据", "数据库", "测试",   "部署", "开发",
    "开发者", "服务器", "性能", "项目",     "社区",     "框架", "语言",   "模块",   "函数", "对象",
    "变量",   "内存",   "执行", "编译",     "调试",     "错误", "日志",   "监控",   "缓存", "搜索",
    "索引",   "查询",   "算法", "机器学习", "深度学习", "模型", "训练",   "预测",   "分析", "统计",
    "图像",   "识别",   "语音", "中文",     "翻译",     "文档", "教程",   "入门",   "学生", "老师",
    "课程",   "经验",   "建议", "优点",     "问题",     "使用", "需要",   "方式",   "现在", "然后",
    "其实",   "觉得",   "开始", "知道",     "今天",     "讲者", "分享",   "介绍",   "程序", "代码",
    "系统",   "网络",   "环境", "工具",     "容器",     "集群", "节点",   "浏览器", "前端", "后端",
    "团队",   "公司",   "产品", "应用",     "设计",     "架构", "并发",   "异步",   "线程", "进程"};

static zipf_t zipf_ko, zipf_hans;

static void put_pick(sb_t *b, rng_t *r, const char *const *list, size_t n)
{
    sb_put(b, list[rng_below(r, (uint32_t)n)]);
}
#define PUT_PICK(b, r, list) put_pick((b), (r), (list), ARRAY_LEN(list))

/* Does the last Hangul syllable of s end in a consonant (batchim)? */
static int hangul_batchim(const char *s)
{
    size_t n = strlen(s);
    if (n < 3)
        return 0;
    const unsigned char *p = (const unsigned char *)s + n - 3;
    unsigned cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return cp >= 0xAC00 && cp <= 0xD7A3 && (cp - 0xAC00) % 28 != 0;
}

/* A handle as notes write it: a fixed one, or a speaker's name. */
static void put_at_handle(sb_t *b, rng_t *r)
{
    sb_put(b, chance(r, 0.8) ? "@" : "#");
    if (chance(r, 0.6)) {
        PUT_PICK(b, r, fixed_handles);
        return;
    }
    char w[64];
    speaker_name(rng_below(r, (uint32_t)n_speakers), w, sizeof w);
    for (char *p = w; *p; p++)
        *p = (*p == ' ' || *p == '-')   ? '_'
             : (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a')
                                        : *p;
    sb_put(b, w);
}

/* One compound token in running English text. */
static void put_compound(sb_t *b, rng_t *r)
{
    switch (rng_below(r, 10)) {
    case 0:
    case 1:
    case 2:
        PUT_PICK(b, r, dotted_names);
        if (chance(r, 0.4))
            sb_put(b, "()");
        break;
    case 3:
    case 4: PUT_PICK(b, r, constant_names); break;
    case 5: PUT_PICK(b, r, camel_names); break;
    case 6:
    case 7: PUT_PICK(b, r, apostrophe_words); break;
    case 8: put_at_handle(b, r); break;
    default: PUT_PICK(b, r, email_addresses); break;
    }
}

static void put_url2(sb_t *b, rng_t *r)
{
    switch (rng_below(r, 6)) {
    case 0:
    case 1: {
        const char *m = doc_modules[rng_below(r, ARRAY_LEN(doc_modules))];
        sb_printf(b, "https://docs.python.org/3/library/%s.html", m);
        if (chance(r, 0.3))
            sb_printf(b, "#%s", m);
        break;
    }
    case 2:
        sb_put(b, "https://numpy.org/doc/stable/reference/generated/");
        PUT_PICK(b, r, dotted_names);
        sb_put(b, ".html");
        break;
    case 3:
        sb_put(b, "https://twitter.com/");
        PUT_PICK(b, r, fixed_handles);
        break;
    case 4: sb_put(b, "https://docs.pytest.org/en/latest/how-to/fixtures.html"); break;
    default: sb_printf(b, "https://peps.python.org/pep-%04u/", rng_below(r, 800)); break;
    }
}

static void put_code_line2(sb_t *b, rng_t *r)
{
    switch (rng_below(r, 7)) {
    case 0: sb_put(b, "@pytest.fixture"); break;
    case 1: sb_put(b, "from unittest.mock import patch"); break;
    case 2: sb_printf(b, "MAX_WORKERS = %u", 1 + rng_below(r, 32)); break;
    case 3: sb_put(b, "with mock.patch(\"os.path.exists\") as m:"); break;
    case 4: sb_put(b, "u, s, vt = np.linalg.svd(a)"); break;
    case 5: sb_put(b, "$ pytest -x tests/test_api.py"); break;
    default:
        sb_put(b, "    ");
        PUT_PICK(b, r, constant_names);
        sb_put(b, " = os.environ.get(\"");
        PUT_PICK(b, r, constant_names);
        sb_put(b, "\")");
        break;
    }
}

/* A Korean sentence: nouns with particles, an adverb or two, a verb; a
 * Latin name glued to its particle now and then (Python으로). */
static void put_korean_line(sb_t *b, rng_t *r)
{
    if (chance(r, 0.15))
        sb_put(b, "- ");
    int chunks = 2 + (int)rng_below(r, 5);
    for (int i = 0; i < chunks; i++) {
        if (i)
            sb_put(b, " ");
        if (chance(r, 0.15)) {
            PUT_PICK(b, r, ko_adverbs);
            continue;
        }
        const char *noun;
        int batchim;
        if (chance(r, 0.12)) {
            noun = tech_names[zipf_draw(&zipf_tech, r)];
            batchim = chance(r, 0.5);
        } else {
            noun = ko_nouns[zipf_draw(&zipf_ko, r)];
            batchim = hangul_batchim(noun);
        }
        sb_put(b, noun);
        switch (rng_below(r, 8)) {
        case 0: sb_put(b, batchim ? "을" : "를"); break;
        case 1: sb_put(b, batchim ? "은" : "는"); break;
        case 2: sb_put(b, batchim ? "이" : "가"); break;
        case 3: sb_put(b, batchim ? "으로" : "로"); break;
        case 4: sb_put(b, "에서"); break;
        case 5: sb_put(b, "의"); break;
        case 6: sb_put(b, "도"); break;
        default: break; /* bare noun */
        }
    }
    sb_put(b, " ");
    PUT_PICK(b, r, ko_verbs);
    sb_put(b, chance(r, 0.7) ? "." : "");
}

/* A line of Simplified Chinese, English terms mixed in as in Traditional. */
static void put_hans_line(sb_t *b, rng_t *r)
{
    if (chance(r, 0.12))
        sb_put(b, "- ");
    int chunks = 2 + (int)rng_below(r, 8);
    int last_latin = 0;
    for (int i = 0; i < chunks; i++) {
        if (chance(r, 0.15)) {
            const char *w = tech_names[zipf_draw(&zipf_tech, r)];
            int spaced = last_latin || chance(r, 0.65);
            if (spaced && i)
                sb_put(b, " ");
            sb_put(b, w);
            if (spaced && i + 1 < chunks)
                sb_put(b, " ");
            last_latin = 1;
            continue;
        }
        if (i && !last_latin && chance(r, 0.08))
            sb_put(b, "，");
        sb_put(b, hans_words[zipf_draw(&zipf_hans, r)]);
        last_latin = 0;
    }
    static const char *const ends[] = {"", "", "。", "。", "！", "？"};
    sb_put(b, ends[rng_below(r, ARRAY_LEN(ends))]);
}

static void put_handle(sb_t *b, rng_t *r)
{
    char w[64];
    if (chance(r, 0.5)) {
        speaker_name(rng_below(r, (uint32_t)n_speakers), w, sizeof w);
        for (char *p = w; *p; p++)
            *p = *p == ' ' ? '-' : (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
        /* Names like "Müller" keep their bytes: URLs are percent-encoded in
         * life, but the notes paste them as people see them. */
        sb_put(b, w);
    } else {
        draw_en(r, w, sizeof w);
        sb_put(b, w);
        sb_printf(b, "%u", rng_below(r, 100));
    }
}

static void put_url(sb_t *b, rng_t *r)
{
    if (g_mix >= 2 && chance(r, 0.35)) {
        put_url2(b, r);
        return;
    }
    char w[64], w2[64];
    draw_en_head(r, w, sizeof w);
    draw_en(r, w2, sizeof w2);
    switch (rng_below(r, 8)) {
    case 0:
    case 1:
        sb_put(b, "https://github.com/");
        put_handle(b, r);
        sb_printf(b, "/%s-%s", w, w2);
        break;
    case 2: sb_printf(b, "https://%s.readthedocs.io/en/latest/%s.html", w, w2); break;
    case 3:
        sb_put(b, "http://www.slideshare.net/");
        put_handle(b, r);
        sb_printf(b, "/%s-%s-%u", w, w2, 2010 + rng_below(r, 16));
        break;
    case 4:
        sb_put(b, "https://speakerdeck.com/");
        put_handle(b, r);
        sb_printf(b, "/%s", w2);
        break;
    case 5:
        sb_put(b, "https://hackmd.io/@");
        put_handle(b, r);
        sb_printf(b, "/%s", w);
        break;
    case 6: {
        static const char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        sb_put(b, "https://www.youtube.com/watch?v=");
        for (int i = 0; i < 11; i++) {
            char c[2] = {alphabet[rng_below(r, 64)], 0};
            sb_put(b, c);
        }
        break;
    }
    default: sb_printf(b, "https://pypi.org/project/%s/", w2); break;
    }
}

static void put_number(sb_t *b, rng_t *r)
{
    switch (rng_below(r, 4)) {
    case 0: sb_printf(b, "%u", rng_below(r, 10) + 1); break;
    case 1: sb_printf(b, "%u", rng_below(r, 1000)); break;
    case 2: sb_printf(b, "%u.%u", rng_below(r, 4) + 1, rng_below(r, 13)); break;
    default: sb_printf(b, "%u", 2000 + rng_below(r, 26)); break;
    }
}

/* An English sentence or bullet, mostly function and content words. */
static void put_english_line(sb_t *b, rng_t *r)
{
    double kind = rng_unit(r);
    if (kind < 0.22)
        sb_put(b, "- ");
    else if (kind < 0.26)
        sb_put(b, "* ");
    else if (kind < 0.29)
        sb_printf(b, "%u. ", rng_below(r, 9) + 1);
    int words = 1 + (int)rng_below(r, 9);
    for (int i = 0; i < words; i++) {
        char w[128];
        double u = rng_unit(r);
        if (i)
            sb_put(b, " ");
        if (g_mix >= 2 && chance(r, 0.04)) {
            put_compound(b, r);
            continue;
        }
        if (u < 0.40) {
            snprintf(w, sizeof w, "%s", en_function[zipf_draw(&zipf_function, r)]);
        } else if (u < 0.43) {
            put_number(b, r);
            continue;
        } else if (u < 0.45) {
            put_identifier(b, r, 0);
            if (chance(r, 0.5))
                sb_put(b, "()");
            continue;
        } else if (u < 0.47) {
            snprintf(w, sizeof w, "%s", en_phrases[zipf_draw(&zipf_phrase, r)]);
        } else if (u < 0.53) {
            snprintf(w, sizeof w, "%s", tech_names[zipf_draw(&zipf_tech, r)]);
        } else {
            draw_en(r, w, sizeof w);
        }
        if (i == 0 && chance(r, 0.6))
            capitalize(w);
        sb_put(b, w);
        if (i + 1 < words && chance(r, 0.05))
            sb_put(b, ",");
    }
    static const char *const ends[] = {"", "", "", "", ".", ".", "?", ":", "!", " ..."};
    sb_put(b, ends[rng_below(r, ARRAY_LEN(ends))]);
}

/* A line in Chinese with English terms mixed in, as notes are written:
 * sometimes spaced ("用 Python 寫"), sometimes glued ("用Python寫"). */
static void put_chinese_line(sb_t *b, rng_t *r)
{
    if (chance(r, 0.12))
        sb_put(b, "- ");
    int chunks = 2 + (int)rng_below(r, 8);
    int last_latin = 0;
    for (int i = 0; i < chunks; i++) {
        char w[128];
        double u = rng_unit(r);
        if (u < 0.17) {
            if (u < 0.06)
                snprintf(w, sizeof w, "%s", tech_names[zipf_draw(&zipf_tech, r)]);
            else
                draw_en(r, w, sizeof w);
            /* Two Latin words are never glued: only Latin to Chinese is. */
            int spaced = last_latin || chance(r, 0.65);
            if (spaced && i)
                sb_put(b, " ");
            sb_put(b, w);
            if (spaced && i + 1 < chunks)
                sb_put(b, " ");
            last_latin = 1;
            continue;
        }
        if (u < 0.24 && i && !last_latin) {
            static const char *const marks[] = {"，", "，", "，", "、", "：", "（", "）"};
            sb_put(b, marks[rng_below(r, ARRAY_LEN(marks))]);
        }
        zh_word(zipf_draw(&zipf_zh, r), w, sizeof w);
        sb_put(b, w);
        last_latin = 0;
    }
    static const char *const ends[] = {"", "", "", "。", "。", "！", "？", "…"};
    sb_put(b, ends[rng_below(r, ARRAY_LEN(ends))]);
}

static void put_code_line(sb_t *b, rng_t *r)
{
    if (g_mix >= 2 && chance(r, 0.3)) {
        put_code_line2(b, r);
        return;
    }
    char w[64];
    switch (rng_below(r, 9)) {
    case 0:
        sb_put(b, "def ");
        put_identifier(b, r, 0);
        draw_en_head(r, w, sizeof w);
        sb_printf(b, "(%s):", w);
        break;
    case 1:
        draw_en_head(r, w, sizeof w);
        sb_printf(b, "import %s", w);
        break;
    case 2:
        draw_en_head(r, w, sizeof w);
        sb_printf(b, "from %s import ", w);
        put_identifier(b, r, 0);
        break;
    case 3:
        sb_put(b, "assert ");
        put_identifier(b, r, 0);
        sb_printf(b, "(%u) == %u", rng_below(r, 100), rng_below(r, 10000));
        break;
    case 4:
        draw_en(r, w, sizeof w);
        sb_printf(b, "$ pip install %s", w);
        break;
    case 5:
        sb_put(b, "    return ");
        put_identifier(b, r, 0);
        sb_printf(b, " * %u", rng_below(r, 1000));
        break;
    case 6:
        put_identifier(b, r, 0);
        draw_en_head(r, w, sizeof w);
        sb_printf(b, " = %s.", w);
        put_identifier(b, r, 0);
        sb_put(b, "()");
        break;
    case 7:
        sb_put(b, "class ");
        put_identifier(b, r, 1);
        sb_put(b, "(");
        put_identifier(b, r, 1);
        sb_put(b, "):");
        break;
    default:
        draw_en_head(r, w, sizeof w);
        sb_printf(b, "$ docker run -it --rm %s:%u.%u", w, rng_below(r, 4), rng_below(r, 20));
        break;
    }
}

static void put_heading(sb_t *b, rng_t *r)
{
    static const char *const lead[] = {"Why ", "What is ", "How ",   "",         "",
                                       "",     "Q&A: ",    "Demo: ", "Lessons: "};
    char w[128];
    sb_put(b, lead[rng_below(r, ARRAY_LEN(lead))]);
    int words = 1 + (int)rng_below(r, 3);
    for (int i = 0; i < words; i++) {
        if (i)
            sb_put(b, " ");
        if (chance(r, 0.4))
            snprintf(w, sizeof w, "%s", tech_names[zipf_draw(&zipf_tech, r)]);
        else
            draw_en_head(r, w, sizeof w);
        capitalize(w);
        sb_put(b, w);
    }
    if (chance(r, 0.3))
        sb_put(b, "?");
}

static void put_qa_line(sb_t *b, rng_t *r)
{
    sb_put(b, chance(r, 0.5) ? "Q: " : "A: ");
    if (chance(r, 0.5))
        put_chinese_line(b, r);
    else
        put_english_line(b, r);
}

/* ---- talks and pads --------------------------------------------------------- */

typedef struct {
    char time[6];
    int room;
    char title[512];
    size_t speakers[2];
    int n_speakers;
    char speaker_text[160];
    sb_t body;
} talk_t;

static void make_title(talk_t *t, rng_t *r)
{
    sb_t b = {0};
    char w1[64], w2[64], z1[16], z2[16];
    const char *tn = tech_names[zipf_draw(&zipf_tech, r)];
    const char *tn2 = tech_names[zipf_draw(&zipf_tech, r)];
    draw_en_head(r, w1, sizeof w1);
    draw_en_head(r, w2, sizeof w2);
    capitalize(w1);
    capitalize(w2);
    zh_word(zipf_draw(&zipf_zh, r) % 400, z1, sizeof z1);
    zh_word(zipf_draw(&zipf_zh, r) % 400, z2, sizeof z2);
    const char *phrase = en_phrases[zipf_draw(&zipf_phrase, r)];
    switch (rng_below(r, 14)) {
    case 0: sb_printf(&b, "Building %s %s with %s", w1, w2, tn); break;
    case 1: sb_printf(&b, "%s in Production: %s and %s", tn, w1, w2); break;
    case 2: sb_printf(&b, "Scaling %s to %u %ss", tn, 10u << rng_below(r, 12), w1); break;
    case 3: sb_printf(&b, "How We %s %s at %s", w1, tn, w2); break;
    case 4: sb_printf(&b, "%s with %s and %s", phrase, tn, tn2); break;
    case 5: sb_printf(&b, "Keynote: The %s of %s", w1, tn); break;
    case 6: sb_printf(&b, "A Tour of %s %s", tn, w1); break;
    case 7: sb_printf(&b, "Lessons from %u Years of %s", 2 + rng_below(r, 15), tn); break;
    case 8: sb_printf(&b, "用 %s 打造%s%s", tn, z1, z2); break;
    case 9: sb_printf(&b, "%s%s：%s %s 實戰", z1, z2, tn, w1); break;
    case 10: sb_printf(&b, "從 %s 到 %s：%s的%s", tn, tn2, z1, z2); break;
    case 11: sb_printf(&b, "%s 與%s%s的那些事", tn, z1, z2); break;
    case 12: sb_printf(&b, "%s %s: %s Edition", w1, w2, tn); break;
    default: sb_printf(&b, "%s, %s and %s", tn, w1, phrase); break;
    }
    if (g_mix >= 2 && g_ko_share > 0.1 && chance(r, 0.3)) {
        b.len = 0;
        sb_printf(&b, "%s으로 만드는 %s", tn, ko_nouns[rng_below(r, ARRAY_LEN(ko_nouns))]);
    } else if (g_mix >= 2 && g_hans_share > 0.1 && chance(r, 0.3)) {
        b.len = 0;
        sb_printf(&b, "用 %s 构建%s%s", tn, hans_words[5 + rng_below(r, 40)],
                  hans_words[5 + rng_below(r, 40)]);
    }
    snprintf(t->title, sizeof t->title, "%s", b.p);
    free(b.p);
    /* Some speakers turn up again and again, most only once. */
    t->n_speakers = chance(r, 0.1) ? 2 : 1;
    for (int i = 0; i < t->n_speakers; i++)
        t->speakers[i] = zipf_draw(&zipf_speaker, r);
    if (t->n_speakers == 2 && t->speakers[1] == t->speakers[0])
        t->n_speakers = 1;
    char n1[64], n2[64];
    speaker_name(t->speakers[0], n1, sizeof n1);
    if (t->n_speakers == 2) {
        speaker_name(t->speakers[1], n2, sizeof n2);
        snprintf(t->speaker_text, sizeof t->speaker_text, "%s & %s", n1, n2);
    } else {
        snprintf(t->speaker_text, sizeof t->speaker_text, "%s", n1);
    }
}

/* Body bytes follow a log-normal law (a few very long notes, many short
 * ones) with a mean near 2.4 kB, what 100k talks = 250 MB asks for. */
static void make_body(talk_t *t, rng_t *r)
{
    double target = exp(7.60 + 0.6 * rng_normal(r));
    if (target < 150)
        target = 150;
    if (target > 24000)
        target = 24000;
    sb_t *b = &t->body;
    b->len = 0;
    sb_reserve(b, (size_t)target + 256);
    b->p[0] = '\0';
    int blank_run = 0;
    while ((double)b->len < target) {
        double u = rng_unit(r);
        if (u < 0.42 && !blank_run) {
            sb_put(b, "\n");
            blank_run = 1;
            continue;
        }
        blank_run = 0;
        if (g_mix >= 2) {
            double v = rng_unit(r);
            if (v < g_ko_share + g_hans_share) {
                if (v < g_ko_share)
                    put_korean_line(b, r);
                else
                    put_hans_line(b, r);
                sb_put(b, "\n");
                continue;
            }
        }
        u = rng_unit(r);
        if (u < 0.66)
            put_english_line(b, r);
        else if (u < 0.79)
            put_chinese_line(b, r);
        else if (u < 0.818) {
            static const char *const lead[] = {"", "", "slides: ", "repo: ", "Ref: ", "投影片："};
            sb_put(b, lead[rng_below(r, ARRAY_LEN(lead))]);
            put_url(b, r);
        } else if (u < 0.895)
            put_code_line(b, r);
        else if (u < 0.945)
            put_heading(b, r);
        else
            put_qa_line(b, r);
        sb_put(b, "\n");
    }
}

typedef struct {
    size_t conf; /* conference number */
    int day;     /* 1-based */
    int n_talks;
} pad_plan_t;

static void conference_name(size_t k, char *buf, size_t cap)
{
    size_t nb = ARRAY_LEN(brands), nr = ARRAY_LEN(regions);
    snprintf(buf, cap, "%s %s %zu", brands[k % nb], regions[k / nb % nr],
             2010 + k / (nb * nr) % 16);
}

static void conference_slug(size_t k, char *buf, size_t cap)
{
    char name[128];
    conference_name(k, name, sizeof name);
    size_t at = 0;
    for (const char *p = name; *p && at + 1 < cap; p++)
        buf[at++] = *p == ' ' ? '-' : (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    buf[at] = '\0';
    /* Conferences past the 3,840 distinct names repeat a name: a suffix keeps
     * their files apart (the index then tells their talks apart by -2 ids). */
    if (k >= ARRAY_LEN(brands) * ARRAY_LEN(regions) * 16)
        snprintf(buf + at, cap - at, "-%zu", k);
}

/* Talk counts per pad, from their own random stream so that pad k's
 * contents do not depend on how many pads come before it. */
static pad_plan_t *plan_pads(uint64_t seed, size_t talks, size_t *npads)
{
    size_t cap = 64, n = 0, total = 0, conf = 0;
    pad_plan_t *plan = malloc(cap * sizeof *plan);
    rng_t r;
    rng_seed(&r, mix2(seed, 0x706c616eull));
    while (plan && total < talks) {
        int days = 2 + (int)rng_below(&r, 2);
        for (int d = 1; d <= days && total < talks; d++) {
            if (n == cap) {
                cap *= 2;
                pad_plan_t *grown = realloc(plan, cap * sizeof *plan);
                if (!grown) {
                    free(plan);
                    return NULL;
                }
                plan = grown;
            }
            int k = 24 + (int)rng_below(&r, 31);
            if ((size_t)k > talks - total)
                k = (int)(talks - total);
            plan[n++] = (pad_plan_t){conf, d, k};
            total += (size_t)k;
        }
        conf++;
    }
    *npads = n;
    return plan;
}

/* ---- peers' formats ------------------------------------------------------- */

static void xml_escape(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        default: fputc(s[i], f); break;
        }
    }
}

typedef struct {
    FILE *sphinx, *omega;
    uint64_t next_docid;
} peers_t;

static void write_peers(peers_t *p, const char *conf, const char *slug, int day, const char *date,
                        const talk_t *t)
{
    char hhmm[8], order[64], id[200];
    snprintf(hhmm, sizeof hhmm, "%s%s", strlen(t->time) == 4 ? "0" : "", t->time);
    snprintf(order, sizeof order, "%s|%s|R%d", date, hhmm, t->room);
    snprintf(id, sizeof id, "%s_%s_%c%c%c%c_R%d", slug, date, hhmm[0], hhmm[1], hhmm[3], hhmm[4],
             t->room);
    char names[2][64];
    for (int i = 0; i < t->n_speakers; i++)
        speaker_name(t->speakers[i], names[i], sizeof names[i]);
    if (p->sphinx) {
        FILE *f = p->sphinx;
        fprintf(f, "<sphinx:document id=\"%llu\">\n<title>", (unsigned long long)++p->next_docid);
        xml_escape(f, t->title, strlen(t->title));
        fputs("</title>\n<speaker>", f);
        xml_escape(f, t->speaker_text, strlen(t->speaker_text));
        fputs("</speaker>\n<body>", f);
        xml_escape(f, t->body.p, t->body.len);
        fprintf(f,
                "</body>\n<day>%d</day>\n<room>R%d</room>\n<ord>%s</ord>\n<date>%s</date>\n"
                "<time>%s</time>\n<sid>",
                day, t->room, order, date, hhmm);
        xml_escape(f, id, strlen(id));
        fputs("</sid>\n<title_s>", f);
        xml_escape(f, t->title, strlen(t->title));
        fputs("</title_s>\n<speaker_s>", f);
        for (int i = 0; i < t->n_speakers; i++) {
            if (i)
                fputc('|', f);
            xml_escape(f, names[i], strlen(names[i]));
        }
        fputs("</speaker_s>\n<body_s>", f);
        xml_escape(f, t->body.p, t->body.len);
        fputs("</body_s>\n<spk>", f);
        for (int i = 0; i < t->n_speakers; i++)
            fprintf(f, "%s%zu", i ? "," : "", t->speakers[i] + 1);
        fputs("</spk>\n</sphinx:document>\n", f);
    }
    if (p->omega) {
        /* scriptindex: "field=value" lines, "=" continues the previous
         * field on a new line, a blank line ends the record. */
        FILE *f = p->omega;
        fprintf(f, "id=%s\nconference=%s\nday=%d\ndate=%s\ntime=%s\nroom=R%d\norder=%s\n", id, conf,
                day, date, hhmm, t->room, order);
        fprintf(f, "title=%s\n", t->title);
        for (int i = 0; i < t->n_speakers; i++)
            fprintf(f, "speaker=%s\n", names[i]);
        fputs("body=", f);
        for (size_t i = 0; i < t->body.len; i++) {
            fputc(t->body.p[i], f);
            if (t->body.p[i] == '\n' && i + 1 < t->body.len)
                fputc('=', f);
        }
        if (t->body.len == 0 || t->body.p[t->body.len - 1] != '\n')
            fputc('\n', f);
        fputc('\n', f);
    }
}

static void write_sphinx_header(FILE *f)
{
    fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sphinx:docset>\n<sphinx:schema>\n"
          "<sphinx:field name=\"title\"/>\n<sphinx:field name=\"speaker\"/>\n"
          "<sphinx:field name=\"body\"/>\n"
          "<sphinx:attr name=\"day\" type=\"int\" bits=\"8\"/>\n"
          "<sphinx:attr name=\"room\" type=\"string\"/>\n"
          "<sphinx:attr name=\"ord\" type=\"string\"/>\n"
          "<sphinx:attr name=\"date\" type=\"string\"/>\n"
          "<sphinx:attr name=\"time\" type=\"string\"/>\n"
          "<sphinx:attr name=\"sid\" type=\"string\"/>\n"
          "<sphinx:attr name=\"title_s\" type=\"string\"/>\n"
          "<sphinx:attr name=\"speaker_s\" type=\"string\"/>\n"
          "<sphinx:attr name=\"body_s\" type=\"string\"/>\n"
          "<sphinx:attr name=\"spk\" type=\"multi\"/>\n"
          "</sphinx:schema>\n",
          f);
}

/* ---- one pad ------------------------------------------------------------- */

typedef struct {
    uint64_t seed;
    const char *out_dir;
    peers_t peers;
    size_t bytes, talks;
} gen_t;

/* Writes pad number i.  edited: this pad is one of the changed ones
 * (--change-percent): a few talks get a new line and one talk is gone. */
static int write_pad(gen_t *g, size_t i, const pad_plan_t *pl, int edited)
{
    rng_t r;
    rng_seed(&r, mix2(g->seed, i + 1));
    char conf[128], slug[128], path[4096], date[16];
    conference_name(pl->conf, conf, sizeof conf);
    conference_slug(pl->conf, slug, sizeof slug);
    uint64_t ch = mix2(g->seed ^ 0x636f6e66ull, pl->conf);
    int month = (int)(ch % 12), mday = 1 + (int)(ch / 12 % 20) + pl->day - 1;
    int year = 2010 + (int)(pl->conf / (ARRAY_LEN(brands) * ARRAY_LEN(regions)) % 16);
    snprintf(date, sizeof date, "%04d-%02d-%02d", year % 10000, (month + 1) % 100, mday % 100);
    snprintf(path, sizeof path, "%s/%s-day%d.txt", g->out_dir, slug, pl->day);
    /* Mix 2: Korean mostly in the pads of KR conferences, Simplified in
     * those of SG and MY ones (at 20k talks about a tenth and a quarter of
     * the pads); a line now and then elsewhere (visiting speakers, pasted
     * quotes). */
    const char *region = regions[pl->conf / ARRAY_LEN(brands) % ARRAY_LEN(regions)];
    g_ko_share = strcmp(region, "KR") == 0 ? 0.45 : 0.002;
    g_hans_share = strcmp(region, "SG") == 0 || strcmp(region, "MY") == 0 ? 0.25 : 0.003;

    sb_t pad = {0};
    sb_printf(&pad, "%s - Day %d (%s %d)\n\n", conf, pl->day, months[month], mday);
    int pre = 1 + (int)rng_below(&r, 3);
    for (int k = 0; k < pre; k++) {
        if (chance(&r, 0.5))
            put_chinese_line(&pad, &r);
        else
            put_english_line(&pad, &r);
        sb_put(&pad, "\n");
    }
    sb_put(&pad, "共筆: ");
    put_url(&pad, &r);
    sb_put(&pad, "\n\n");

    /* A keynote alone in the first slot half of the time, then up to six
     * rooms per slot. */
    int keynote = chance(&r, 0.5), placed = 0;
    rng_t er;
    rng_seed(&er, mix2(g->seed ^ 0x64726f70ull, i));
    int drop = edited ? (int)rng_below(&er, (uint32_t)pl->n_talks) : -1;
    talk_t t = {0};
    for (int s = 0; s < N_SLOTS && placed < pl->n_talks; s++) {
        int rooms = s == 0 && keynote ? 1 : N_ROOMS;
        for (int room = 0; room < rooms && placed < pl->n_talks; room++) {
            snprintf(t.time, sizeof t.time, "%s", slot_times[s]);
            t.room = room;
            make_title(&t, &r);
            make_body(&t, &r);
            int n = placed++;
            /* Edits draw from their own stream, so an edited pad's other
             * talks stay byte-identical. */
            rng_seed(&er, mix2(g->seed ^ 0x65646974ull, i * 1000 + (size_t)n));
            if (edited && n == drop)
                continue;
            if (edited && chance(&er, 0.1)) {
                sb_put(&t.body, "補充：");
                put_chinese_line(&t.body, &er);
                sb_put(&t.body, "\nupdate: ");
                put_english_line(&t.body, &er);
                sb_put(&t.body, "\n");
            }
            sb_printf(&pad, "[%s][R%d] %s (%s)\n\n", t.time, room, t.title, t.speaker_text);
            sb_reserve(&pad, t.body.len);
            memcpy(pad.p + pad.len, t.body.p, t.body.len + 1);
            pad.len += t.body.len;
            write_peers(&g->peers, conf, slug, pl->day, date, &t);
            g->talks++;
        }
        if (placed < pl->n_talks)
            sb_printf(&pad, "---------------- %s ----------------\n\n",
                      s == LUNCH_AFTER_SLOT ? "Lunch Break" : "Break");
    }
    free(t.body.p);
    sb_printf(&pad, "---------------- Day %d End ----------------\n\n", pl->day);
    /* What follows the end marker belongs to no talk. */
    put_chinese_line(&pad, &r);
    sb_put(&pad, "\n");

    FILE *f = fopen(path, "wb");
    if (!f || fwrite(pad.p, 1, pad.len, f) != pad.len || fclose(f) != 0) {
        fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
        free(pad.p);
        return -1;
    }
    g->bytes += pad.len;
    free(pad.p);
    return 0;
}

/* ---- the query mix ----------------------------------------------------------- */

/* One line per query: label, the confsearch query string (URL-encoded,
 * ready for /api/search), the SphinxQL MATCH text ("" for none), and the
 * SphinxQL filter ("" for none).  Tabs separate the columns. */
static void url_encode(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

static int write_queries(const char *path, int mix_version)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    char rare[64], mid1[64], mid2[64];
    /* The rare word: deep in the tail, a few occurrences per thousand talks. */
    en_word(ARRAY_LEN(en_content) + 1500, rare, sizeof rare);
    en_word(8, mid1, sizeof mid1);  /* "performance" */
    en_word(17, mid2, sizeof mid2); /* "memory" */
    struct {
        const char *label, *q, *params, *match, *where;
    } mix[] = {
        {"en-frequent", "python", "", "python", ""},
        {"en-rare", rare, "", rare, ""},
        {"zh-word", "測試", "", "\"測試\"", ""},
        {"zh-word-2", "部署", "", "\"部署\"", ""},
        {"phrase", "\"machine learning\"", "", "\"machine learning\"", ""},
        {"two-word-and", NULL, "", NULL, ""},
        {"prefix", "multi*", "", "multi*", ""},
        {"filter", "docker", "&room=R1", "docker", "room='R1'"},
        {"mixed-zh-en", "部署 docker", "", "\"部署\" docker", ""},
        {"browse", "", "", "", ""},
    };
    char both[160];
    snprintf(both, sizeof both, "%s %s", mid1, mid2);
    mix[5].q = mix[5].match = both;
    for (size_t i = 0; i < ARRAY_LEN(mix); i++) {
        fprintf(f, "%s\t/api/search?q=", mix[i].label);
        url_encode(f, mix[i].q);
        fprintf(f, "%s\t%s\t%s\n", mix[i].params, mix[i].match, mix[i].where);
    }
    /* Mix 2: what its text adds.  The label's first word is the query's
     * class for bench/truth.py: part- (a compound's part), cmp- (a whole
     * compound), ko- (Korean), hans- (Simplified Chinese). */
    static const struct {
        const char *label, *q, *match;
    } mix2[] = {
        {"en-pytest", "pytest", "pytest"},
        {"two-word-pytest-fixture", "pytest fixture", "pytest fixture"},
        {"part-linalg", "linalg", "linalg"},
        {"part-workers", "workers", "workers"},
        {"part-mock", "mock", "mock"},
        {"part-reilly", "reilly", "reilly"},
        {"part-handle", "handle", "handle"},
        {"part-asyncio", "asyncio", "asyncio"},
        {"part-docs", "docs", "docs"},
        {"cmp-mock.patch", "mock.patch", "\"mock patch\""},
        {"cmp-numpy.linalg.svd", "numpy.linalg.svd", "\"numpy linalg svd\""},
        {"cmp-MAX_WORKERS", "MAX_WORKERS", "max_workers"},
        {"cmp-MyConf2021", "MyConf2021", "myconf2021"},
        {"cmp-O'Reilly", "O'Reilly", "\"o reilly\""},
        {"cmp-handle", "@my_handle", "my_handle"},
        {"cmp-url", "https://docs.python.org/3/library/asyncio.html",
         "\"https docs python org 3 library asyncio html\""},
        {"cmp-email", "cfp@pycon.tw", "\"cfp pycon tw\""},
        {"cmp-python3", "python3", "python3"},
        {"phrase-mock-patch", "\"mock patch\"", "\"mock patch\""},
        {"ko-python", "파이썬", "\"파이썬\""},
        {"ko-python-eul", "파이썬을", "\"파이썬을\""},
        {"ko-data-analysis", "데이터분석", "\"데이터분석\""},
        {"ko-analysis", "분석", "\"분석\""},
        {"ko-ml", "머신러닝", "\"머신러닝\""},
        {"hans-data", "数据", "\"数据\""},
        {"hans-test", "测试", "\"测试\""},
        {"hans-ml", "机器学习", "\"机器学习\""},
        {"hans-developer", "开发者", "\"开发者\""},
    };
    for (size_t i = 0; mix_version >= 2 && i < ARRAY_LEN(mix2); i++) {
        fprintf(f, "%s\t/api/search?q=", mix2[i].label);
        url_encode(f, mix2[i].q);
        fprintf(f, "\t%s\t\n", mix2[i].match);
    }
    return fclose(f);
}

/* ---- command line ------------------------------------------------------------ */

static const char usage_text[] =
    "usage: gen_corpus --talks N --out DIR [options]\n"
    "\n"
    "Writes N talks of generated conference notes as pads DIR/<conf>-day<D>.txt.\n"
    "\n"
    "options:\n"
    "  -n, --talks N            how many talks (required)\n"
    "  -o, --out DIR            output directory (created if missing)\n"
    "  -s, --seed S             random seed (default 2015)\n"
    "      --sphinx FILE        also write the talks as a Sphinx xmlpipe2 stream\n"
    "      --omega FILE         also write them as Omega scriptindex input\n"
    "      --queries FILE       write the benchmark query mix\n"
    "      --mix N              1 (default): the text and queries of the first\n"
    "                           benchmark; 2: also compounds (URLs, handles,\n"
    "                           dotted, snake and Camel names), Korean and\n"
    "                           Simplified Chinese text, and queries for them\n"
    "      --change-percent P   rewrite only P%% of the pads, edited (a few talks\n"
    "                           get new lines, one talk disappears); the rest\n"
    "                           are not touched\n"
    "  -h, --help               this help\n";

int main(int argc, char **argv)
{
    static const struct option options[] = {{"talks", required_argument, NULL, 'n'},
                                            {"out", required_argument, NULL, 'o'},
                                            {"seed", required_argument, NULL, 's'},
                                            {"sphinx", required_argument, NULL, 'S'},
                                            {"omega", required_argument, NULL, 'O'},
                                            {"queries", required_argument, NULL, 'Q'},
                                            {"change-percent", required_argument, NULL, 'c'},
                                            {"mix", required_argument, NULL, 'm'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    size_t talks = 0;
    double change = -1;
    const char *out = NULL, *sphinx = NULL, *omega = NULL, *queries = NULL;
    uint64_t seed = 2015;
    int c;
    while ((c = getopt_long(argc, argv, "n:o:s:h", options, NULL)) != -1) {
        switch (c) {
        case 'n': talks = strtoull(optarg, NULL, 10); break;
        case 'o': out = optarg; break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'S': sphinx = optarg; break;
        case 'O': omega = optarg; break;
        case 'Q': queries = optarg; break;
        case 'c': change = strtod(optarg, NULL); break;
        case 'm': g_mix = atoi(optarg); break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (!out || talks == 0 || g_mix < 1 || g_mix > 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_corpus: %s: %s\n", out, strerror(errno));
        return 1;
    }

    n_speakers = 1500 + talks / 16;
    zipf_init(&zipf_function, ARRAY_LEN(en_function), 1.0, 1.5);
    zipf_init(&zipf_en, ARRAY_LEN(en_content) + EN_TAIL, 1.07, 2.7);
    zipf_init(&zipf_zh, ARRAY_LEN(zh_words) + ZH_TAIL, 1.0, 2.0);
    zipf_init(&zipf_tech, ARRAY_LEN(tech_names), 1.0, 1.0);
    zipf_init(&zipf_phrase, ARRAY_LEN(en_phrases), 0.8, 1.0);
    zipf_init(&zipf_speaker, n_speakers, 0.9, 5.0);
    zipf_init(&zipf_ko, ARRAY_LEN(ko_nouns), 1.0, 2.0);
    zipf_init(&zipf_hans, ARRAY_LEN(hans_words), 1.0, 2.0);
    if (queries && write_queries(queries, g_mix) != 0) {
        fprintf(stderr, "gen_corpus: %s: %s\n", queries, strerror(errno));
        return 1;
    }

    size_t npads = 0;
    pad_plan_t *plan = plan_pads(seed, talks, &npads);
    if (!plan) {
        perror("gen_corpus");
        return 1;
    }
    /* The changed pads: an exact share, chosen by a seeded shuffle. */
    unsigned char *edited = calloc(npads, 1);
    if (change >= 0 && edited) {
        size_t k = (size_t)(npads * change / 100.0 + 0.5), *order = malloc(npads * sizeof *order);
        if (k == 0 && change > 0)
            k = 1;
        rng_t r;
        rng_seed(&r, mix2(seed, 0x6564697473ull));
        for (size_t i = 0; order && i < npads; i++)
            order[i] = i;
        for (size_t i = 0; order && i < k && i < npads; i++) {
            size_t j = i + rng_below(&r, (uint32_t)(npads - i));
            size_t tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
            edited[order[i]] = 1;
        }
        free(order);
    }

    gen_t g = {.seed = seed, .out_dir = out};
    if (sphinx && !(g.peers.sphinx = fopen(sphinx, "w"))) {
        fprintf(stderr, "gen_corpus: %s: %s\n", sphinx, strerror(errno));
        return 1;
    }
    if (omega && !(g.peers.omega = fopen(omega, "w"))) {
        fprintf(stderr, "gen_corpus: %s: %s\n", omega, strerror(errno));
        return 1;
    }
    if (g.peers.sphinx)
        write_sphinx_header(g.peers.sphinx);
    size_t written = 0;
    for (size_t i = 0; i < npads; i++) {
        if (change >= 0 && !edited[i])
            continue;
        if (write_pad(&g, i, &plan[i], change >= 0) != 0)
            return 1;
        written++;
    }
    if (g.peers.sphinx) {
        fputs("</sphinx:docset>\n", g.peers.sphinx);
        fclose(g.peers.sphinx);
    }
    if (g.peers.omega)
        fclose(g.peers.omega);
    printf("%zu pads (%zu written), %zu talks, %.1f MB\n", npads, written, g.talks,
           (double)g.bytes / 1e6);
    free(edited);
    free(plan);
    return 0;
}
