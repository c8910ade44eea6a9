/* Unit tests of routines on the customer record: zone files, schedule
 * occurrences across clock changes, and the JSON form with its validation. */
#include <stdlib.h>
#include <string.h>

#include "common/jsonx.h"
#include "common/model.h"
#include "common/routine_time.h"
#include "common/tz.h"
#include "common/util.h"
#include "tap.h"

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    if (util_parse_timestamp(iso, &ms) != 0)
        tap_diag("bad fixture time %s", iso);
    return ms / 1000;
}

static const char *iso(int64_t sec, char *buf)
{
    util_format_timestamp(sec * 1000, buf, UTIL_TIMESTAMP_LEN);
    return buf;
}

static void test_zones(void)
{
    struct tz *z = NULL, *u = NULL;
    struct sb_err err = {0};
    is_int(tz_load("UTC", &u, &err), SB_OK, "UTC needs no file");
    is_int(tz_offset(u, at("2026-07-01T00:00:00Z")), 0, "UTC is offset 0");
    if (!ok(tz_load("Europe/Berlin", &z, &err) == SB_OK, "Europe/Berlin loads")) {
        tap_diag("%s", err.msg);
        return;
    }
    is_int(tz_offset(z, at("2026-01-15T12:00:00Z")), 3600, "Berlin winter is +1");
    is_int(tz_offset(z, at("2026-07-15T12:00:00Z")), 7200, "Berlin summer is +2");
    /* 2026-03-29 02:00 local does not exist; 2026-10-25 02:30 happens twice */
    char b[UTIL_TIMESTAMP_LEN];
    tz_free(u);
    u = NULL;
    int64_t gap = tz_days_from_civil(2026, 3, 29) * 86400 + 2 * 3600 + 30 * 60;
    is_str(iso(tz_to_utc(z, gap), b), "2026-03-29T01:30:00.000Z",
           "a skipped wall time reads as that time after the change (03:30 CEST)");
    int64_t twice = tz_days_from_civil(2026, 10, 25) * 86400 + 2 * 3600 + 30 * 60;
    is_str(iso(tz_to_utc(z, twice), b), "2026-10-25T00:30:00.000Z",
           "a repeated wall time is the earlier instant");
    is_int(tz_load("Mars/Olympus", &u, &err) == SB_OK ? 0 : err.code, SB_EINVAL,
           "an unknown zone is refused");
    ok(strstr(err.msg, "Mars/Olympus") != NULL, "the error names the zone");
    ok(!tz_name_ok("../../etc/passwd") && !tz_name_ok("/etc/passwd") && !tz_name_ok(""),
       "paths are not zone names");
    ok(tz_load("../etc/passwd", &u, &err) == SB_EINVAL, "a path is refused before any read");
    tz_free(z);
    tz_free(u);
}

static void test_occurrences(void)
{
    struct tz *z = NULL, *utc = NULL;
    struct sb_err err = {0};
    char b[UTIL_TIMESTAMP_LEN];
    int64_t next = 0, latest = 0;
    int skipped = 0;
    tz_load("Europe/Berlin", &z, &err);
    tz_load("UTC", &utc, &err);
    if (!z)
        return;
    /* weekdays at 06:30 in Berlin; 2026-12-04 is a Friday */
    struct routine_schedule wd = {.set = true, .minute = 6 * 60 + 30, .days = 0x3e};
    ok(routine_time_next(&wd, z, at("2026-12-04T04:00:00Z"), &next),
       "a weekday schedule has a next run");
    is_str(iso(next, b), "2026-12-04T05:30:00.000Z", "Friday 06:30 CET is 05:30 UTC");
    routine_time_next(&wd, z, next, &next);
    is_str(iso(next, b), "2026-12-07T05:30:00.000Z", "after Friday's run comes Monday's");
    /* daily 02:30 across the spring change */
    struct routine_schedule daily = {.set = true, .minute = 150, .days = 0x7f};
    routine_time_next(&daily, z, at("2026-03-28T12:00:00Z"), &next);
    is_str(iso(next, b), "2026-03-29T01:30:00.000Z",
           "02:30 on the day it is skipped runs at 03:30");
    routine_time_next(&daily, z, next, &next);
    is_str(iso(next, b), "2026-03-30T00:30:00.000Z", "the day after is 02:30 CEST");
    /* once */
    struct routine_schedule once = {
        .set = true, .once = true, .minute = 21 * 60, .date = tz_days_from_civil(2026, 12, 2)};
    ok(routine_time_next(&once, utc, at("2026-12-01T10:00:00Z"), &next), "a one-off ahead runs");
    is_str(iso(next, b), "2026-12-02T21:00:00.000Z", "at its date and time");
    ok(!routine_time_next(&once, utc, next, &next), "and never again");
    struct routine_schedule none = {0};
    ok(!routine_time_next(&none, utc, 0, &next), "an unscheduled routine never runs by itself");
    /* catching up after three days down */
    routine_time_catch_up(&daily, utc, at("2026-12-01T02:30:00Z"), at("2026-12-04T02:40:00Z"),
                          &latest, &skipped);
    is_str(iso(latest, b), "2026-12-04T02:30:00.000Z", "the latest missed occurrence");
    is_int(skipped, 3, "three occurrences passed since the first missed one");
    tz_free(z);
    tz_free(utc);
}

static json_object *parse(const char *text)
{
    json_object *o = NULL;
    struct sb_err err;
    if (jsonx_parse(text, strlen(text), &o, &err) != SB_OK)
        tap_diag("fixture does not parse: %s", err.msg);
    return o;
}

static void test_json(void)
{
    const char *good =
        "{\"id\":\"c1\",\"name\":\"N\",\"service_level\":\"enterprise\",\"devices\":[],"
        "\"timezone\":\"Europe/Berlin\",\"routines\":[{\"name\":\"wind down\",\"steps\":"
        "[\"turn off the lights\",\"set the bedroom speaker to 15\"],\"schedule\":null,"
        "\"next_run\":null,\"last_run\":null,\"last_outcome\":null},{\"name\":\"Morning\","
        "\"steps\":[\"turn on the office speaker\"],\"schedule\":{\"time\":\"06:30\",\"days\":"
        "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]},\"next_run\":\"2026-12-04T05:30:00.000Z\","
        "\"last_run\":null,\"last_outcome\":null}]}";
    json_object *o = parse(good), *back = NULL;
    struct model_problems p = {0};
    struct customer c = {0}, copy = {0};
    struct sb_err err;
    if (!ok(customer_from_json(o, "", &p, &c) == SB_OK, "a customer with routines reads")) {
        model_problems_to_err(&p, &err);
        tap_diag("%s", err.msg);
        goto out;
    }
    is_int(c.n_routines, 2, "both routines");
    is_str(c.timezone, "Europe/Berlin", "the time zone");
    ok(customer_find_routine(&c, "MORNING") != NULL, "names match without regard to case");
    ok(customer_copy(&copy, &c) == SB_OK && copy.n_routines == 2, "a copy keeps the routines");
    back = customer_to_json(&copy);
    is_str(jsonx_string(back, NULL), jsonx_string(o, NULL), "the JSON form round-trips exactly");
out:
    json_object_put(o);
    json_object_put(back);
    customer_free(&c);
    customer_free(&copy);
    model_problems_free(&p);
}

/* The problems a bad customer body gets, joined. */
static void expect_problem(const char *routines, const char *want, const char *name)
{
    char text[2048];
    snprintf(text, sizeof text, "{\"id\":\"c1\",\"name\":\"N\",\"service_level\":\"basic\",%s}",
             routines);
    json_object *o = parse(text);
    struct model_problems p = {0};
    struct customer c = {0};
    struct sb_err err = {0};
    int rc = customer_from_json(o, "", &p, &c);
    model_problems_to_err(&p, &err);
    if (!ok(rc == SB_EINVAL && strstr(err.msg, want), "%s", name))
        tap_diag("  got \"%s\", want \"%s\"", err.msg, want);
    json_object_put(o);
    customer_free(&c);
    model_problems_free(&p);
}

static void test_validation(void)
{
    expect_problem("\"timezone\":\"../x\"", "timezone: must be an IANA time zone name",
                   "a bad time zone is named");
    expect_problem("\"routines\":{}", "routines: must be a list", "routines must be a list");
    expect_problem("\"routines\":[{\"steps\":[\"x\"]}]", "routines[0].name: is required",
                   "a routine needs a name");
    expect_problem("\"routines\":[{\"name\":\"a/b\",\"steps\":[\"x\"]}]",
                   "routines[0].name: must not contain '/'", "no slash in a name");
    expect_problem("\"routines\":[{\"name\":\"a\",\"steps\":[]}]",
                   "routines[0].steps: must be a list of 1-16 sentences", "at least one step");
    expect_problem("\"routines\":[{\"name\":\"a\",\"steps\":[\"\"]}]",
                   "routines[0].steps[0]: must be a sentence", "no empty step");
    expect_problem(
        "\"routines\":[{\"name\":\"a\",\"steps\":[\"x\"],\"schedule\":{\"time\":\"25:00\"}}]",
        "routines[0].schedule.time: must be HH:MM", "a bad time is named");
    expect_problem(
        "\"routines\":[{\"name\":\"a\",\"steps\":[\"x\"],\"schedule\":{\"time\":\"07:00\","
        "\"days\":[\"monday\"]}}]",
        "routines[0].schedule.days[0]: must be one of sun mon", "a bad day is named");
    expect_problem(
        "\"routines\":[{\"name\":\"a\",\"steps\":[\"x\"],\"schedule\":{\"time\":\"07:00\","
        "\"date\":\"2026-02-30\"}}]",
        "routines[0].schedule.date: must be a date", "February 30th is refused");
    expect_problem(
        "\"routines\":[{\"name\":\"a\",\"steps\":[\"x\"],\"schedule\":{\"time\":\"07:00\","
        "\"every\":\"day\"}}]",
        "routines[0].schedule.every: is not a schedule field", "unknown fields named");
    expect_problem(
        "\"routines\":[{\"name\":\"Tea\",\"steps\":[\"x\"]},{\"name\":\"tea\",\"steps\":[\"y\"]}]",
        "routines[1].name: \"tea\" is the name of another routine", "names are unique");
    expect_problem("\"routines\":[{\"name\":\"a\",\"steps\":[\"x\"],\"next_run\":\"soon\"}]",
                   "routines[0].next_run: must be an ISO 8601", "next_run is a timestamp");
}

int main(void)
{
    test_zones();
    test_occurrences();
    test_json();
    test_validation();
    return tap_done();
}
