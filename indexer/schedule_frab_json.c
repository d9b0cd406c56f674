/* schedule_frab_json.c: the frab schedule in JSON (pretalx's schedule.json)
 * read with jansson.  The only file that reads a programme with jansson;
 * every json_t is freed here before returning.
 *
 *   {"schedule": {"conference": {"title", "time_zone_name", "days": [
 *       {"index", "date", "rooms": {"Room": [{"title", "date", "start",
 *        "duration", "room", "track", "language", "abstract", "description",
 *        "url", "persons": [{"public_name"}]}]}}]}}}
 */
#include <jansson.h>
#include <string.h>

#include "schedule_reader.h"

/* A string member, or NULL (other types are no value). */
static const char *member(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* frab names a person "public_name" (pretalx), "full_public_name" or
 * "name" (older frab); a bare string is taken too. */
static const char *person_name(json_t *p)
{
    if (json_is_string(p))
        return json_string_value(p);
    const char *name = member(p, "public_name");
    if (!name)
        name = member(p, "full_public_name");
    if (!name)
        name = member(p, "name");
    return name;
}

static cs_status_t read_event(cs_sched_builder_t *b, json_t *ev, const cs_frab_event_t *day,
                              const char *room_key)
{
    if (!json_is_object(ev)) {
        cs_sched_warn(b, 1, "an event in room \"%s\" is not an object; skipped", room_key);
        return CS_OK;
    }
    cs_frab_event_t e = *day;
    e.title = member(ev, "title");
    e.date = member(ev, "date");
    e.start = member(ev, "start");
    e.duration = member(ev, "duration");
    e.room = member(ev, "room");
    if (!e.room)
        e.room = room_key;
    e.track = member(ev, "track");
    e.language = member(ev, "language");
    e.abstract = member(ev, "abstract");
    e.description = member(ev, "description");
    e.url = member(ev, "url");
    json_t *persons = json_object_get(ev, "persons"), *p;
    size_t i;
    json_array_foreach(persons, i, p)
    {
        const char *name = person_name(p);
        if (name && e.n_persons < CS_MAX_SPEAKERS)
            e.persons[e.n_persons++] = name;
    }
    return cs_sched_add_frab_event(b, &e);
}

static cs_status_t read_day(cs_sched_builder_t *b, json_t *day, const char *conference)
{
    if (!json_is_object(day)) {
        cs_sched_warn(b, 1, "a day is not an object; skipped");
        return CS_OK;
    }
    cs_frab_event_t base = {.conference = conference, .line = 1};
    json_t *index = json_object_get(day, "index");
    base.day_index =
        json_is_integer(index) && json_integer_value(index) > 0 && json_integer_value(index) < 1000
            ? (int)json_integer_value(index)
            : 0;
    base.day_date = member(day, "date");
    json_t *rooms = json_object_get(day, "rooms"), *events;
    const char *room;
    cs_status_t st = CS_OK;
    json_object_foreach(rooms, room, events)
    {
        size_t i;
        json_t *ev;
        json_array_foreach(events, i, ev)
        {
            if ((st = read_event(b, ev, &base, room)) != CS_OK)
                return st;
        }
    }
    return st;
}

cs_status_t cs_schedule_read_frab_json(const char *text, size_t len, cs_sched_builder_t *b)
{
    json_error_t err;
    json_t *root = json_loadb(text, len, 0, &err);
    if (!root)
        return cs_sched_fail(b, err.line > 0 ? (unsigned)err.line : 0, "not valid JSON: %s",
                             err.text);
    json_t *conf = json_object_get(json_object_get(root, "schedule"), "conference");
    json_t *days = json_object_get(conf, "days");
    if (!json_is_array(days)) {
        json_decref(root);
        return cs_sched_fail(b, 0, "frab JSON without schedule.conference.days");
    }
    const char *title = member(conf, "title");
    if (!title)
        title = member(conf, "acronym");
    size_t i;
    json_t *day;
    cs_status_t st = CS_OK;
    json_array_foreach(days, i, day)
    {
        if ((st = read_day(b, day, title)) != CS_OK)
            break;
    }
    json_decref(root);
    return st;
}
