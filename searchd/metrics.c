/* metrics.c: counters and their Prometheus text exposition. */
#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "grow.h"

/* The statuses searchd answers with; anything else is counted as "other". */
static const int known_status[] = {200, 204, 304, 400, 404, 405, 500, 503};
#define N_STATUS (sizeof known_status / sizeof known_status[0] + 1)

/* Upper bounds of the latency buckets, in seconds: from a search served
 * from the facet cache to a slow one on a large index (bench/RESULTS.md
 * has the figures of both). */
static const double bucket_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                   0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define N_BUCKETS (sizeof bucket_le / sizeof bucket_le[0])

static atomic_uint_fast64_t requests[CS_ENDPOINT_COUNT][N_STATUS];
static atomic_uint_fast64_t buckets[CS_ENDPOINT_COUNT][N_BUCKETS]; /* not cumulative */
static atomic_uint_fast64_t latency_count[CS_ENDPOINT_COUNT];
static atomic_uint_fast64_t latency_sum_ns[CS_ENDPOINT_COUNT];
static atomic_uint_fast64_t reopens, retries;
static atomic_int busy;

static const char *const endpoint_names[CS_ENDPOINT_COUNT] = {
    "search", "suggest", "session", "similar", "healthz", "web", "other"};

const char *cs_endpoint_name(cs_endpoint_t e)
{
    return (unsigned)e < CS_ENDPOINT_COUNT ? endpoint_names[e] : "other";
}

#define ADD(var, n) atomic_fetch_add_explicit(&(var), (n), memory_order_relaxed)
#define GET(var) atomic_load_explicit(&(var), memory_order_relaxed)

void cs_metrics_request(cs_endpoint_t e, int status, double seconds)
{
    if ((unsigned)e >= CS_ENDPOINT_COUNT)
        e = CS_ENDPOINT_OTHER;
    size_t si = N_STATUS - 1;
    for (size_t i = 0; i + 1 < N_STATUS; i++)
        if (known_status[i] == status)
            si = i;
    ADD(requests[e][si], 1);
    if (seconds < 0)
        seconds = 0;
    size_t b = 0;
    while (b < N_BUCKETS && seconds > bucket_le[b])
        b++;
    if (b < N_BUCKETS)
        ADD(buckets[e][b], 1);
    ADD(latency_count[e], 1);
    ADD(latency_sum_ns[e], (uint_fast64_t)(seconds * 1e9));
}

void cs_metrics_busy(int delta)
{
    atomic_fetch_add_explicit(&busy, delta, memory_order_relaxed);
}

void cs_metrics_reopen(void)
{
    ADD(reopens, 1);
}

void cs_metrics_retry(void)
{
    ADD(retries, 1);
}

/* A growing text buffer; failure sticks and makes render return NULL. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} out_t;

__attribute__((format(printf, 2, 3))) static void put(out_t *o, const char *fmt, ...)
{
    if (o->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !cs_grow(&o->buf, &o->cap, o->len + (size_t)n + 1, 1, 4096)) {
        o->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
}

static void put_status(out_t *o, size_t si)
{
    if (si + 1 < N_STATUS)
        put(o, "%d", known_status[si]);
    else
        put(o, "other");
}

char *cs_metrics_render(const cs_metrics_index_t *index, size_t *len)
{
    out_t o = {0};
    put(&o, "# HELP confsearch_http_requests_total HTTP requests answered, by endpoint and "
            "status.\n# TYPE confsearch_http_requests_total counter\n");
    for (size_t e = 0; e < CS_ENDPOINT_COUNT; e++)
        for (size_t s = 0; s < N_STATUS; s++) {
            uint64_t n = GET(requests[e][s]);
            if (!n)
                continue;
            put(&o, "confsearch_http_requests_total{endpoint=\"%s\",status=\"", endpoint_names[e]);
            put_status(&o, s);
            put(&o, "\"} %llu\n", (unsigned long long)n);
        }
    put(&o, "# HELP confsearch_http_request_duration_seconds Time from a request's headers to "
            "its answer queued, by endpoint.\n"
            "# TYPE confsearch_http_request_duration_seconds histogram\n");
    for (size_t e = 0; e < CS_ENDPOINT_COUNT; e++) {
        uint64_t count = GET(latency_count[e]), cumulative = 0;
        for (size_t b = 0; b < N_BUCKETS; b++) {
            cumulative += GET(buckets[e][b]);
            put(&o,
                "confsearch_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} "
                "%llu\n",
                endpoint_names[e], bucket_le[b], (unsigned long long)cumulative);
        }
        /* Read apart from the buckets: +Inf must never be below the last
         * bucket, whatever was counted in between. */
        if (count < cumulative)
            count = cumulative;
        put(&o,
            "confsearch_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} "
            "%llu\n",
            endpoint_names[e], (unsigned long long)count);
        put(&o, "confsearch_http_request_duration_seconds_sum{endpoint=\"%s\"} %.9f\n",
            endpoint_names[e], (double)GET(latency_sum_ns[e]) / 1e9);
        put(&o, "confsearch_http_request_duration_seconds_count{endpoint=\"%s\"} %llu\n",
            endpoint_names[e], (unsigned long long)count);
    }
    uint64_t unavailable = 0;
    for (size_t e = 0; e < CS_ENDPOINT_COUNT; e++)
        unavailable += GET(requests[e][N_STATUS - 2]); /* 503, the last known status */
    put(&o,
        "# HELP confsearch_http_unavailable_total Answers 503 (index missing, unreadable "
        "or damaged), all endpoints.\n# TYPE confsearch_http_unavailable_total counter\n"
        "confsearch_http_unavailable_total %llu\n",
        (unsigned long long)unavailable);
    put(&o,
        "# HELP confsearch_index_reopens_total Times a worker's index handle moved to a new "
        "revision or was opened anew.\n# TYPE confsearch_index_reopens_total counter\n"
        "confsearch_index_reopens_total %llu\n",
        (unsigned long long)GET(reopens));
    put(&o,
        "# HELP confsearch_index_retries_total Reads retried because the index changed "
        "under them.\n# TYPE confsearch_index_retries_total counter\n"
        "confsearch_index_retries_total %llu\n",
        (unsigned long long)GET(retries));
    put(&o,
        "# HELP confsearch_index_up Whether the index could be read at scrape time.\n"
        "# TYPE confsearch_index_up gauge\nconfsearch_index_up %d\n",
        index && index->available ? 1 : 0);
    put(&o,
        "# HELP confsearch_index_revision The index revision served.\n"
        "# TYPE confsearch_index_revision gauge\nconfsearch_index_revision %llu\n",
        (unsigned long long)(index ? index->revision : 0));
    put(&o,
        "# HELP confsearch_index_documents Talks in the index served.\n"
        "# TYPE confsearch_index_documents gauge\nconfsearch_index_documents %llu\n",
        (unsigned long long)(index ? index->documents : 0));
    put(&o,
        "# HELP confsearch_worker_threads Worker threads answering requests.\n"
        "# TYPE confsearch_worker_threads gauge\nconfsearch_worker_threads %u\n",
        index ? index->threads : 0);
    int b = atomic_load_explicit(&busy, memory_order_relaxed);
    put(&o,
        "# HELP confsearch_worker_threads_busy Worker threads answering a request now.\n"
        "# TYPE confsearch_worker_threads_busy gauge\nconfsearch_worker_threads_busy %d\n",
        b > 0 ? b : 0);
    if (o.failed) {
        free(o.buf);
        return NULL;
    }
    if (len)
        *len = o.len;
    return o.buf;
}
