/* script_fold.h: Simplified -> Taiwan Traditional conversion of CJK runs for
 * the analysis (analysis.h), the one module that talks to OpenCC.
 *
 * Conventions:
 * - A cs_script_fold_t belongs to one analyzer, hence one thread: OpenCC
 *   handles are not thread-safe.  Its s2twp handle (slow to open: it loads
 *   OpenCC's dictionaries) is opened on the first conversion, not at
 *   create, so analyzers that never meet Chinese never pay for it.
 * - Which characters are Simplified-only is one process-wide table, built
 *   once (thread-safe) from OpenCC's s2t character conversion and read-only
 *   after that.
 * - Output (converted text and offset map) is owned by the fold and valid
 *   until its next cs_script_fold_run or destroy; nothing needs freeing.
 * - OpenCC failures are statuses (CS_ERR_OPENCC with the fold's message),
 *   never exceptions or crashes; a NULL fold returns CS_ERR_NULL_ARG.
 */
#ifndef CS_SCRIPT_FOLD_H
#define CS_SCRIPT_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct cs_script_fold cs_script_fold_t;

/* The OpenCC configuration (in OpenCC's data directory) every run goes
 * through: Simplified -> Traditional with Taiwan's characters and phrases
 * (网络 -> 網路, 视频 -> 影片, 信息 -> 資訊, 程序 -> 程式). */
#define CS_SCRIPT_FOLD_CONFIG "s2twp.json"

/* *out is caller-owned: cs_script_fold_destroy (NULL is a no-op).
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY. */
cs_status_t cs_script_fold_create(cs_script_fold_t **out);
void cs_script_fold_destroy(cs_script_fold_t *f);

/* Whether c is a Simplified-only character: one that OpenCC's s2t
 * character table changes and Big5 cannot encode (写, 络, 视; not 程, 序,
 * 信, which both scripts share, nor 台 or 里, which s2t changes but Taiwan
 * writes too).  *is gets the answer.  Returns CS_OK, CS_ERR_NULL_ARG,
 * CS_ERR_OPENCC (the table could not be built: OpenCC's data missing). */
cs_status_t cs_script_is_simplified(int32_t c, bool *is);

/* A run's Taiwan form: count characters, character k being
 * text[at[k], at[k+1]) and standing for input character from[k] (from is
 * non-decreasing; where OpenCC changed a run's length, 博客 -> 部落格, the
 * extra characters stand for the last input character of the changed
 * stretch).  count 0: no Taiwan form (unchanged, or not convertible). */
typedef struct {
    const char *text;     /* NUL-terminated */
    const size_t *at;     /* count + 1 offsets */
    const uint32_t *from; /* count input character indexes */
    size_t count;
} cs_script_variant_t;

/* Converts len bytes of UTF-8 holding nchars characters, each one code
 * point among the Han, kana and Hangul that NFKC case folding leaves as
 * they are (the analysis' "verbatim" characters; anything else gives no
 * Taiwan form), to its Taiwan form in *out.  The form is given only when
 * it differs from the input and is made of such characters too.
 * Returns CS_OK, CS_ERR_NULL_ARG, CS_ERR_NO_MEMORY, CS_ERR_OPENCC (the
 * configuration could not be opened, or a conversion failed: see
 * cs_script_fold_error). */
cs_status_t cs_script_fold_run(cs_script_fold_t *f, const char *utf8, size_t len, size_t nchars,
                               cs_script_variant_t *out);

/* The message of the fold's last CS_ERR_OPENCC ("" if none); owned by f. */
const char *cs_script_fold_error(const cs_script_fold_t *f);

#endif /* CS_SCRIPT_FOLD_H */
