/* status.h: the status codes shared by confsearch's own modules (schema,
 * analysis, pad parsing, indexing, serving).  Xapian's are in xapian-c.h. */
#ifndef CS_STATUS_H
#define CS_STATUS_H

typedef enum {
    CS_OK = 0,
    CS_ERR_NULL_ARG,  /* a required pointer was NULL */
    CS_ERR_NO_MEMORY, /* allocation failed */
    CS_ERR_ICU,       /* ICU reported an error */
    CS_ERR_IO,        /* reading or writing a file failed */
    CS_ERR_FORMAT,    /* input is not in the expected format */
    CS_ERR_XAPIAN,    /* the index refused an operation (see the db's status string) */
    CS_ERR_LOCKED,    /* another indexer holds the database */
    CS_ERR_VERSION,   /* the index was written in an unknown format version */
    CS_ERR_BAD_QUERY, /* a query that cannot be run */
    CS_ERR_LIMIT,     /* a size or count limit was exceeded */
    CS_ERR_OPENCC,    /* OpenCC could not convert: its data missing or a conversion failed */
    CS_ERR_NOT_READY  /* the index has no documents nor format yet: a first build runs or died */
} cs_status_t;

/* A static English name for a status; never NULL. */
const char *cs_status_to_string(cs_status_t status);

/* printf into a new string (caller frees), for error messages; NULL when
 * out of memory. */
__attribute__((format(printf, 1, 2))) char *cs_strdup_printf(const char *fmt, ...);

#endif /* CS_STATUS_H */
