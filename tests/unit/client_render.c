/* The denial renderer: what a person reads when the plan refuses something. */
#include <string.h>

#include "../tap.h"
#include "client/render.h"
#include "client/table.h"
#include "common/utf8.h"

static json_object *parse(const char *text)
{
    return json_tokener_parse(text);
}

static int contains(const struct render_lines *l, const char *needle)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strstr(l->lines[i], needle))
            return 1;
    }
    return 0;
}

static void test_denial(void)
{
    json_object *d = parse(
        "{\"action\":\"song_changes\",\"actionName\":\"Song Changes\",\"currentLevel\":\"basic\","
        "\"currentLevelName\":\"Basic\",\"requiredLevel\":\"premium\",\"requiredLevelName\":"
        "\"Premium\",\"price\":9.99,\"allowedActions\":[\"device_status\",\"device_power\","
        "\"volume_control\"],\"allowedActionNames\":[\"Device Status\",\"Device Power\","
        "\"Volume Control\"]}");
    struct render_lines l;
    is_int(render_denial(d, 0, &l), 0, "a full denial renders");
    is_int(l.n, 3, "three lines: refused, upgrade, still allowed");
    is_str(l.lines[0], "Song Changes is not included in your Basic plan.",
           "headline names action and plan");
    ok(contains(&l, "Upgrade to Premium ($9.99/month)"), "names the upgrade and its price");
    ok(contains(&l, "Device Status, Device Power and Volume Control"),
       "lists what is still allowed");
    render_lines_free(&l);

    is_int(render_denial(d, 30, &l), 0, "renders wrapped to 30 columns");
    int fits = 1;
    for (size_t i = 0; i < l.n; i++)
        fits &= utf8_width(l.lines[i]) <= 30;
    ok(fits, "every wrapped line fits in 30 columns");
    ok(l.n > 3, "wrapping made more lines (%zu)", l.n);
    render_lines_free(&l);
    json_object_put(d);
}

static void test_no_level_allows(void)
{
    json_object *d = parse("{\"action\":\"custom_actions\",\"currentLevel\":\"enterprise\","
                           "\"requiredLevel\":null,\"requiredLevelName\":null,\"price\":null,"
                           "\"allowedActions\":[\"device_status\"]}");
    struct render_lines l;
    is_int(render_denial(d, 0, &l), 0, "denial without a higher level renders");
    is_str(l.lines[0], "custom_actions is not included in your enterprise plan.",
           "falls back to keys when display names are missing");
    ok(contains(&l, "No plan offers it"), "says no plan offers it");
    ok(contains(&l, "device_status"), "lists allowed action keys");
    render_lines_free(&l);
    json_object_put(d);
}

static void test_limit(void)
{
    json_object *lim = parse("{\"currentLevel\":\"basic\",\"currentLevelName\":\"Basic\","
                             "\"maxDevices\":1,\"devices\":1,\"requiredLevel\":\"premium\","
                             "\"requiredLevelName\":\"Premium\",\"price\":9.99}");
    struct render_lines l;
    is_int(render_limit(lim, 0, &l), 0, "a device limit renders");
    is_str(l.lines[0], "Your Basic plan allows 1 device and you have 1.", "limit headline");
    ok(contains(&l, "Upgrade to Premium ($9.99/month) for more devices."), "limit upgrade line");
    render_lines_free(&l);
    json_object_put(lim);
}

static void test_bad_input(void)
{
    struct render_lines l;
    json_object *notdenial = parse("{\"error\":\"x\"}");
    is_int(render_denial(notdenial, 0, &l), -1, "an object without action is not a denial");
    is_int(render_denial(NULL, 0, &l), -1, "NULL is not a denial");
    is_int(render_limit(notdenial, 0, &l), -1, "an object without maxDevices is not a limit");
    json_object_put(notdenial);
    json_object *narrow = parse("{\"action\":\"a\",\"actionName\":\"Supercalifragilistic\","
                                "\"currentLevel\":\"b\"}");
    is_int(render_denial(narrow, 5, &l), 0, "a word longer than the width is cut, not lost");
    int fits = 1;
    for (size_t i = 0; i < l.n; i++)
        fits &= utf8_width(l.lines[i]) <= 5 && l.lines[i][0];
    ok(fits, "cut pieces fit and are not empty");
    render_lines_free(&l);
    json_object_put(narrow);
}

int main(void)
{
    table_setup_locale();
    test_denial();
    test_no_level_allows();
    test_limit();
    test_bad_input();
    return tap_done();
}
