/* build_id.c: names the indexer build (see build_id.h). */
#include "build_id.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <unicode/uversion.h>

#include "source_id.h" /* generated: CS_INDEXER_SOURCE_ID */
#include "xapian-c.h"

static char build_id[128];
static pthread_once_t build_id_once = PTHREAD_ONCE_INIT;

static void make_build_id(void)
{
    UVersionInfo icu;
    char icu_text[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(icu);
    u_versionToString(icu, icu_text);
    /* jansson writes the stored talks the unchanged-talk check compares. */
    snprintf(build_id, sizeof build_id, "%s icu-%s xapian-%s jansson-%s", CS_INDEXER_SOURCE_ID,
             icu_text, xc_xapian_version(), jansson_version_str());
}

const char *cs_indexer_build_id(void)
{
    pthread_once(&build_id_once, make_build_id);
    return build_id;
}
