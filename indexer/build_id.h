/* build_id.h: the identity of this indexer build, stored with every source
 * file's digest so that a different build processes unchanged files again:
 * a new parser or document builder may turn the same bytes into different
 * talks. */
#ifndef CS_BUILD_ID_H
#define CS_BUILD_ID_H

/* "<sources> icu-<version> xapian-<version>": a hash of the indexer's and
 * schema's source files taken at build time (indexer/build_id.cmake), then
 * the ICU library in use (its word breaking and folding shape the terms) and
 * the Xapian version built against (its stemmers).  Static string, no
 * spaces other than the two separators shown; never NULL. */
const char *cs_indexer_build_id(void);

#endif /* CS_BUILD_ID_H */
