/* schedule_frab_xml.c: the frab schedule in XML (pretalx's schedule.xml)
 * read with libxml2's tree API.  The only file that calls libxml2; the
 * parser context and document are freed here before returning.
 *
 *   <schedule><conference><title/><time_zone_name/></conference>
 *     <day index="1" date="2026-03-14"><room name="R0">
 *       <event><date/><start/><duration/><room/><title/><track/><language/>
 *         <abstract/><description/><url/><persons><person/></persons></event>
 *
 * Untrusted files: XML_PARSE_NONET (nothing fetched), no DTD loading, no
 * entity substitution (XML_PARSE_NOENT off), and text is gathered from
 * text and CDATA nodes only, so a reference to a declared entity adds
 * nothing however it is defined.  Errors go to the context, not stderr. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule_reader.h"

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* The text directly inside n (malloc'd; NULL when none or out of memory,
 * *oom telling which). */
static char *text_of(const xmlNode *n, bool *oom)
{
    if (!n)
        return NULL;
    size_t len = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            len += strlen((const char *)c->content);
    char *out = malloc(len + 1);
    if (!out) {
        *oom = true;
        return NULL;
    }
    size_t at = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t k = strlen((const char *)c->content);
            memcpy(out + at, c->content, k);
            at += k;
        }
    }
    out[at] = '\0';
    return out;
}

static char *attr(const xmlNode *n, const char *name, bool *oom)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *copy = strdup((const char *)v);
    xmlFree(v);
    if (!copy)
        *oom = true;
    return copy;
}

/* The event's strings, owned here while the event is added. */
enum {
    F_TITLE,
    F_DATE,
    F_START,
    F_DURATION,
    F_ROOM,
    F_TRACK,
    F_LANGUAGE,
    F_ABSTRACT,
    F_DESCRIPTION,
    F_URL,
    N_FIELDS
};
static const char *const field_names[N_FIELDS] = {"title",       "date",  "start",    "duration",
                                                  "room",        "track", "language", "abstract",
                                                  "description", "url"};

static cs_status_t read_event(cs_sched_builder_t *b, const xmlNode *ev, const cs_frab_event_t *day,
                              const char *room_name)
{
    bool oom = false;
    char *f[N_FIELDS] = {NULL};
    char *persons[CS_MAX_SPEAKERS] = {NULL};
    cs_frab_event_t e = *day;
    for (int i = 0; i < N_FIELDS; i++)
        f[i] = text_of(child(ev, field_names[i]), &oom);
    xmlNode *list = child(ev, "persons");
    for (xmlNode *p = list ? list->children : NULL; p && !oom; p = p->next) {
        if (!named(p, "person") || e.n_persons >= CS_MAX_SPEAKERS)
            continue;
        persons[e.n_persons] = text_of(p, &oom);
        e.persons[e.n_persons] = persons[e.n_persons];
        e.n_persons++;
    }
    e.title = f[F_TITLE];
    e.date = f[F_DATE];
    e.start = f[F_START];
    e.duration = f[F_DURATION];
    e.room = f[F_ROOM] && *f[F_ROOM] ? f[F_ROOM] : room_name;
    e.track = f[F_TRACK];
    e.language = f[F_LANGUAGE];
    e.abstract = f[F_ABSTRACT];
    e.description = f[F_DESCRIPTION];
    e.url = f[F_URL];
    long line = xmlGetLineNo(ev);
    e.line = line > 0 ? (unsigned)line : 1;
    cs_status_t st = oom ? CS_ERR_NO_MEMORY : cs_sched_add_frab_event(b, &e);
    for (int i = 0; i < N_FIELDS; i++)
        free(f[i]);
    for (size_t i = 0; i < CS_MAX_SPEAKERS; i++)
        free(persons[i]);
    return st;
}

static cs_status_t read_day(cs_sched_builder_t *b, const xmlNode *day, const char *conference)
{
    bool oom = false;
    char *index = attr(day, "index", &oom), *date = attr(day, "date", &oom);
    cs_frab_event_t base = {.conference = conference, .day_date = date};
    char *end = NULL;
    long n = index ? strtol(index, &end, 10) : 0;
    base.day_index = index && end != index && !*end && n > 0 && n < 1000 ? (int)n : 0;
    cs_status_t st = oom ? CS_ERR_NO_MEMORY : CS_OK;
    for (const xmlNode *room = day->children; room && st == CS_OK; room = room->next) {
        if (!named(room, "room"))
            continue;
        char *name = attr(room, "name", &oom);
        for (const xmlNode *ev = room->children; ev && st == CS_OK && !oom; ev = ev->next)
            if (named(ev, "event"))
                st = read_event(b, ev, &base, name);
        free(name);
        if (oom)
            st = CS_ERR_NO_MEMORY;
    }
    free(index);
    free(date);
    return st;
}

cs_status_t cs_schedule_read_frab_xml(const char *text, size_t len, cs_sched_builder_t *b)
{
    if (len > (size_t)INT32_MAX)
        return cs_sched_fail(b, 0, "too large for an XML programme");
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return CS_ERR_NO_MEMORY;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cs_status_t st = CS_OK;
    if (!doc) {
        const xmlError *err = xmlCtxtGetLastError(ctxt);
        char msg[256] = "not well-formed";
        if (err && err->message) {
            snprintf(msg, sizeof msg, "%s", err->message);
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
        }
        st = cs_sched_fail(b, err && err->line > 0 ? (unsigned)err->line : 0, "not valid XML: %s",
                           msg);
        xmlFreeParserCtxt(ctxt);
        return st;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !named(root, "schedule")) {
        st = cs_sched_fail(b, root ? (unsigned)xmlGetLineNo(root) : 0,
                           "XML whose root is not <schedule>: not a frab programme");
    } else {
        bool oom = false;
        xmlNode *conf = child(root, "conference");
        char *title = text_of(child(conf, "title"), &oom);
        if (!title || !*title) {
            free(title);
            title = text_of(child(conf, "acronym"), &oom);
        }
        if (oom)
            st = CS_ERR_NO_MEMORY;
        for (const xmlNode *day = root->children; day && st == CS_OK; day = day->next)
            if (named(day, "day"))
                st = read_day(b, day, title);
        free(title);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return st;
}
