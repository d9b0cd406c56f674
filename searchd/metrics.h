/* metrics.h: the daemon's counters for GET /metrics (Prometheus text
 * format 0.0.4).  They are process-wide, not behind a handle: the search
 * code counts its reopens and retries deep inside calls whose signatures
 * should not grow a parameter for it, and one daemon serves one index.
 * Every function is thread-safe (relaxed atomics: a scrape may see one
 * counter a request ahead of another, never a torn value). */
#ifndef CS_METRICS_H
#define CS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a request asked for: the "endpoint" label. */
typedef enum {
    CS_ENDPOINT_SEARCH,
    CS_ENDPOINT_SUGGEST,
    CS_ENDPOINT_SESSION,
    CS_ENDPOINT_SIMILAR,
    CS_ENDPOINT_HEALTHZ,
    CS_ENDPOINT_WEB,
    CS_ENDPOINT_OTHER, /* 404s, 405s, OPTIONS */
    CS_ENDPOINT_COUNT
} cs_endpoint_t;

/* The label value ("search", "suggest", ...). */
const char *cs_endpoint_name(cs_endpoint_t e);

/* One answered request: counted by endpoint and status, its time in the
 * latency histogram of its endpoint. */
void cs_metrics_request(cs_endpoint_t e, int status, double seconds);
/* A worker thread starts (+1) or ends (-1) answering a request. */
void cs_metrics_busy(int delta);
/* The search code saw a new index revision, or opened the index anew. */
void cs_metrics_reopen(void);
/* The search code retried a read after the index changed under it. */
void cs_metrics_retry(void);

/* What the scrape adds about the index, read by the caller at scrape time. */
typedef struct {
    bool available; /* false: index missing or unreadable (revision, documents 0) */
    uint64_t revision;
    uint64_t documents;
    unsigned threads; /* worker threads configured */
} cs_metrics_index_t;

/* The whole exposition as NUL-terminated text; *len its length.  Caller
 * frees.  NULL when out of memory. */
char *cs_metrics_render(const cs_metrics_index_t *index, size_t *len);

#endif /* CS_METRICS_H */
