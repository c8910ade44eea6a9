/* Unit tests of src/common: validation messages, JSON round trips, config,
 * time and ids, UTF-8, the allocation wrappers. */
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/config.h"
#include "common/jsonx.h"
#include "common/model.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xalloc.h"
#include "tap.h"

static json_object *parse(const char *text)
{
    json_object *o = NULL;
    struct sb_err err;
    if (jsonx_parse(text, strlen(text), &o, &err) != SB_OK)
        tap_diag("fixture does not parse: %s", err.msg);
    return o;
}

static void test_device_validation(void)
{
    json_object *o = parse("{\"id\":\"c1\",\"name\":\"N\",\"service_level\":\"basic\",\"devices\":["
                           "{\"id\":\"d1\",\"type\":\"SmartSpeaker\",\"location\":\"kitchen\","
                           "\"state\":\"dim\",\"volume\":\"loud\",\"capabilities\":[\"teleport\"]},"
                           "{\"type\":\"SmartHub\",\"location\":\"hall\",\"volume\":150}]}");
    struct model_problems p = {0};
    struct customer c;
    struct sb_err err;
    is_int(customer_from_json(o, "", &p, &c), SB_EINVAL, "a bad customer is refused");
    model_problems_to_err(&p, &err);
    ok(strstr(err.msg, "devices[0].volume: must be an integer 0-100, got \"loud\"") != NULL,
       "names the field, the rule and the value");
    ok(strstr(err.msg, "devices[0].state: must be \"on\" or \"off\", got \"dim\"") != NULL,
       "bad state named");
    ok(strstr(err.msg, "devices[0].capabilities[0]: must be one of power, volume_control, "
                       "music_playback, got") != NULL,
       "bad capability named, with the names there are");
    ok(strstr(err.msg, "devices[1].id: is required") != NULL, "missing id named");
    ok(strstr(err.msg, "devices[1].volume: must be an integer 0-100, got 150") != NULL,
       "out-of-range volume named");
    is_int((long long)p.len, 5, "every bad field is reported, not just the first");
    json_object *fields = model_problems_to_json(&p);
    is_int((long long)json_object_array_length(fields), 5, "problems as JSON");
    json_object_put(fields);
    model_problems_free(&p);
    json_object_put(o);
}

/* A list's bad items are named by their index, each with its rule. */
static void test_list_items(void)
{
    json_object *o = parse("{\"id\":\"d1\",\"type\":\"SmartSpeaker\",\"location\":\"den\","
                           "\"playlist\":[\"Imagine\",5,\"\",\"Bad\\u0007Bell\",\"Yesterday\"]}");
    struct model_problems p = {0};
    struct device d;
    struct sb_err err;
    is_int(device_from_json(o, "devices[2].", &p, &d), SB_EINVAL, "a bad playlist is refused");
    model_problems_to_err(&p, &err);
    ok(strstr(err.msg, "devices[2].playlist[1]: must be a non-empty string of at most 256 bytes, "
                       "got 5") != NULL,
       "a number in the list is named by its index: %s", err.msg);
    ok(strstr(err.msg, "devices[2].playlist[2]: must be a non-empty string") != NULL,
       "so is an empty string");
    ok(strstr(err.msg, "devices[2].playlist[3]: ") != NULL, "and a control character");
    is_int((long long)p.len, 3, "the good items are not reported");
    model_problems_free(&p);
    json_object_put(o);
}

static void test_round_trip(void)
{
    const char *text = "{\"id\":\"d1\",\"type\":\"SmartSpeaker\",\"name\":\"Den Speaker\","
                       "\"location\":\"den\",\"state\":\"on\",\"volume\":35,"
                       "\"capabilities\":[\"power\",\"volume\"],\"current_song\":\"Imagine\","
                       "\"playlist\":[\"Imagine\",\"Yesterday\"],"
                       "\"lastUpdated\":\"2026-11-24T10:00:00.123Z\"}";
    json_object *o = parse(text), *back;
    struct model_problems p = {0};
    struct device d;
    if (!ok(device_from_json(o, "", &p, &d) == SB_OK, "a good device parses"))
        return;
    ok(d.on && d.volume == 35 && d.has_capabilities, "fields read");
    ok(model_device_can(&d, "volume_control"), "the 'volume' alias means volume_control");
    ok(!model_device_can(&d, "music_playback"), "a listed device can do only what it lists");
    back = device_to_json(&d);
    ok(json_object_equal(o, back), "device JSON round trip is exact");
    json_object_put(back);
    device_free(&d);
    json_object_put(o);

    o = parse("{\"id\":\"d2\",\"type\":\"SmartLight\",\"location\":\"living_room\"}");
    ok(device_from_json(o, "", &p, &d) == SB_OK, "a minimal device parses");
    char name[128];
    model_device_display_name(&d, name, sizeof(name));
    is_str(name, "Living Room Light", "display name made from room and type");
    ok(model_device_can(&d, "power") && !model_device_can(&d, "volume_control"),
       "a light without a list can only be powered");
    device_free(&d);
    json_object_put(o);

    /* device types come from data/engine/types.txt, the parser's list too */
    o = parse("{\"id\":\"d3\",\"type\":\"EchoDot\",\"location\":\"den\"}");
    ok(device_from_json(o, "", &p, &d) == SB_OK, "an Echo parses");
    ok(model_type_is("speaker", d.type) && !model_type_is("display", d.type),
       "an Echo is a speaker");
    ok(model_device_can(&d, "music_playback") && model_device_can(&d, "volume_control"),
       "and, without a list, plays music like every speaker");
    device_free(&d);
    json_object_put(o);

    struct service_level l;
    o = parse("{\"level\":\"premium\",\"name\":\"Premium\",\"rank\":1,\"price\":9.99,"
              "\"allowed_actions\":[\"a\"],\"max_devices\":3}");
    if (ok(service_level_from_json(o, "", &p, &l) == SB_OK, "a level parses")) {
        is_int(l.price_cents, 999, "price read in cents");
        back = service_level_to_json(&l);
        is_str(jsonx_string(json_object_object_get(back, "price"), NULL), "9.99",
               "price written with two decimals");
        json_object_put(back);
        service_level_free(&l);
    }
    json_object_put(o);
    model_problems_free(&p);
}

/* message_check makes message_from_json's checks on a message in memory:
 * for each case both give the same status and the same problem text. */
static void test_message_check(void)
{
    char long_text[MODEL_TEXT_MAX + 2];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    const struct {
        struct message m;
        bool good;
        const char *what;
    } cases[] = {
        {{"msg_1", "conv_1", "cust_001", "hello", "user", "2026-11-24T10:00:00.123Z"},
         true,
         "a good message"},
        {{"msg_1", "conv_1", "cust_001", "hello", "robot", "2026-11-24T10:00:00.123Z"},
         false,
         "an unknown sender"},
        {{"msg_1", "conv_1", "cust_001", "hello", "bot", "yesterday"}, false, "a bad timestamp"},
        {{"msg_1", "", "cust_001", "hello", "bot", "2026-11-24T10:00:00.123Z"},
         false,
         "an empty conversation id"},
        {{"msg_1", "conv_1", "cust_001", long_text, "bot", "2026-11-24T10:00:00.123Z"},
         false,
         "a text over the limit"},
        {{"msg_1", "conv_1", "cust_\xff", "hello", "bot", "2026-11-24T10:00:00.123Z"},
         false,
         "a user id that is not UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct model_problems direct = {.stored = true}, round = {.stored = true};
        struct message back;
        json_object *o = message_to_json(&cases[i].m);
        int rc = message_check(&cases[i].m, &direct);
        int rrc = message_from_json(o, "", &round, &back);
        if (rrc == SB_OK)
            message_free(&back);
        struct sb_err e1 = {0}, e2 = {0};
        if (rc != SB_OK)
            model_problems_to_err(&direct, &e1);
        if (rrc != SB_OK)
            model_problems_to_err(&round, &e2);
        ok((rc == SB_OK) == cases[i].good && rc == rrc && strcmp(e1.msg, e2.msg) == 0,
           "message_check, %s: as the round trip (%s)", cases[i].what, e1.msg[0] ? e1.msg : "ok");
        json_object_put(o);
        model_problems_free(&direct);
        model_problems_free(&round);
    }
    struct message missing = {"msg_1", "conv_1", "cust_001",
                              NULL,    "bot",    "2026-11-24T10:00:00.123Z"};
    struct model_problems p = {.stored = true};
    struct sb_err e = {0};
    ok(message_check(&missing, &p) == SB_EINVAL && model_problems_to_err(&p, &e) &&
           strstr(e.msg, "text") != NULL,
       "a message without a text is refused, naming it (%s)", e.msg);
    model_problems_free(&p);
}

static void test_dataset(void)
{
    json_object *o =
        parse("{\"service_levels\":[{\"level\":\"basic\",\"rank\":0,\"price\":0,"
              "\"allowed_actions\":[\"device_power\"],\"max_devices\":1}],"
              "\"capabilities\":[{\"id\":\"c1\",\"action\":\"device_power\",\"name\":\"P\"}],"
              "\"customers\":[{\"id\":\"a\",\"name\":\"A\",\"service_level\":\"gold\"},"
              "{\"id\":\"b\",\"name\":\"B\",\"service_level\":\"basic\",\"devices\":["
              "{\"id\":\"1\",\"type\":\"T\",\"location\":\"x\"},"
              "{\"id\":\"2\",\"type\":\"T\",\"location\":\"x\"}]}]}");
    struct model_problems p = {0};
    struct dataset ds;
    struct sb_err err;
    is_int(dataset_from_json(o, &p, &ds), SB_EINVAL, "cross references are checked");
    model_problems_to_err(&p, &err);
    ok(strstr(err.msg, "customers[0].service_level: \"gold\" is not one of the service_levels"),
       "unknown level named");
    ok(strstr(err.msg, "customers[1].devices: has 2 devices but level \"basic\" allows 1"),
       "device limit checked on import");
    model_problems_free(&p);
    json_object_put(o);
}

static void test_json_errors(void)
{
    json_object *o;
    struct sb_err err;
    is_int(jsonx_parse("{\"a\": tru}", 10, &o, &err), SB_EINVAL, "malformed JSON refused");
    ok(strstr(err.msg, "at byte") != NULL, "the error gives the position");
    is_int(jsonx_parse("{\"a\":1} x", 9, &o, &err), SB_EINVAL, "trailing data refused");
    is_int(jsonx_parse("{\"a\":", 5, &o, &err), SB_EINVAL, "truncated JSON refused");
    ok(strstr(err.msg, "end of input") != NULL, "truncation is named");
    is_int(jsonx_parse("", 0, &o, &err), SB_EINVAL, "empty body refused");
    ok(jsonx_parse("{\"a\":\"x/y\"}", 11, &o, &err) == SB_OK, "valid JSON parses");
    is_str(jsonx_string(o, NULL), "{\"a\":\"x/y\"}", "slashes are not escaped");
    json_object_put(o);
    /* a bad string deep down is named by its path (built only on failure) */
    static const char deep[] =
        "{\"a\":{\"b\":[1,{\"c\":\"ok\"},{\"d\":\"x\\u0000y\"}]},\"e\":\"ok\"}";
    is_int(jsonx_parse(deep, sizeof deep - 1, &o, &err), SB_EINVAL,
           "a NUL inside a string refused");
    ok(strstr(err.msg, "a.b[2].d") != NULL, "the path to the bad string is named: %s", err.msg);
    static const char fine[] = "{\"a\":{\"b\":[1,{\"c\":\"ok\"},{\"d\":\"xy\"}]}}";
    ok(jsonx_parse(fine, sizeof fine - 1, &o, &err) == SB_OK,
       "the same document without it parses");
    json_object_put(o);
}

/* jsonx_string writes what json-c writes with the same flags, byte for
 * byte: every byte value in strings and member names, every scalar type,
 * nesting, NULL members, and the seed data as parsed. */
static void is_json_c(json_object *o, const char *name)
{
    const char *want =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = strdup(want);
    size_t n = 0;
    const char *got = jsonx_string(o, &n);
    ok(strcmp(got, copy) == 0 && n == strlen(copy), "%s: as json-c writes it", name);
    if (strcmp(got, copy) != 0)
        tap_diag("got %s, json-c %s", got, copy);
    free(copy);
}

static void test_json_writer(void)
{
    json_object *o = xjson(json_object_new_object()), *list = xjson(json_object_new_array());
    char bytes[256], key[4];
    for (int i = 0; i < 255; i++)
        bytes[i] = (char)(i + 1);
    bytes[255] = '\0';
    xjson_add(o, "every byte", xjson(json_object_new_string(bytes)));
    xjson_add(o, "nul inside", xjson(json_object_new_string_len("a\0b", 3)));
    for (int c = 1; c < 0x30; c++) { /* member names that need escapes */
        snprintf(key, sizeof key, "k%c", c);
        xjson_add(o, key, xjson(json_object_new_int(c)));
    }
    xjson_add(o, "null member", NULL);
    xjson_add(o, "true", xjson(json_object_new_boolean(1)));
    xjson_add(o, "false", xjson(json_object_new_boolean(0)));
    xjson_add(o, "empty", xjson(json_object_new_string("")));
    xjson_add(o, "no members", xjson(json_object_new_object()));
    xjson_add(o, "no items", xjson(json_object_new_array()));
    long long ints[] = {0, 1, -1, 9, 10, -10, 2147483647LL, -2147483648LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        xjson_push(list, xjson(json_object_new_int64(ints[i])));
    xjson_push(list, xjson(json_object_new_uint64(UINT64_MAX)));
    xjson_push(list, xjson(json_object_new_uint64((uint64_t)INT64_MAX + 1)));
    xjson_push(list, NULL);
    xjson_push(list, xjson(json_object_new_double(1.5)));
    xjson_push(list, xjson(json_object_new_double(1e300)));
    xjson_push(list, xjson(json_object_new_double(-0.1)));
    xjson_push(list, xjson(json_object_new_double(3.0)));
    xjson_push(list, xjson(json_object_new_double_s(9.99, "9.99")));
    xjson_add(o, "list", list);
    char *big = xmalloc(10001); /* past the writer's first buffer */
    memset(big, '"', 10000);
    big[10000] = '\0';
    xjson_add(o, "long", xjson(json_object_new_string(big)));
    free(big);
    json_object *nested = xjson(json_object_new_array());
    xjson_push(nested, json_object_get(o));
    is_json_c(o, "every kind of value");
    is_json_c(nested, "an array around it");
    is_json_c(list, "a list of numbers");
    is_json_c(json_object_array_get_idx(list, 3), "a scalar");
    xjson_add(o, "later", xjson(json_object_new_string("added after the first write")));
    is_json_c(o, "written again after a change");
    json_object_put(nested);
    json_object_put(o);
    json_object *seed = json_object_from_file(SB_SRCDIR "/data/seed.json");
    ok(seed != NULL, "read the seed data");
    if (seed)
        is_json_c(seed, "the seed data");
    json_object_put(seed);
}

static void test_config(void)
{
    struct config *cfg = NULL;
    struct sb_err err;
    const char *text = "# comment\n\nserver = http://x:1\n  token = \"  spaced  \"\nretries = 7\n";
    if (ok(config_parse("t.conf", text, &cfg, &err) == SB_OK, "config parses")) {
        is_str(config_get(cfg, "server"), "http://x:1", "value read");
        is_str(config_get(cfg, "token"), "  spaced  ", "quotes keep spaces");
        is_int(config_line(cfg, "retries"), 5, "line numbers count blank and comment lines");
        long v = 0;
        ok(config_get_int(cfg, "retries", 0, 10, &v, &err) == SB_OK && v == 7, "integer setting");
        is_int(config_get_int(cfg, "retries", 0, 5, &v, &err), SB_EINVAL, "range checked");
        ok(strstr(err.msg, "t.conf:5:") != NULL, "range error names file and line");
        const char *known[] = {"server", "token", NULL};
        is_int(config_check_keys(cfg, known, &err), SB_EINVAL, "unknown key refused");
        ok(strstr(err.msg, "t.conf:5: unknown setting 'retries'") != NULL, "names it and its line");
        config_free(cfg);
    }
    is_int(config_parse("bad.conf", "a = 1\nnonsense here\n", &cfg, &err), SB_EINVAL,
           "a line without = is refused");
    ok(strstr(err.msg, "bad.conf:2:") != NULL, "the error names file and line");
    is_int(config_load("/nonexistent/servicebot.conf", &cfg, &err), SB_ENOTFOUND,
           "a missing file is not-found");
}

static void test_time_and_ids(void)
{
    char ts[UTIL_TIMESTAMP_LEN], a[UTIL_ID_LEN], b[UTIL_ID_LEN];
    int64_t ms = 0;
    util_format_timestamp(1700000000123LL, ts, sizeof(ts));
    is_str(ts, "2023-11-14T22:13:20.123Z", "timestamp format");
    ok(util_parse_timestamp(ts, &ms) == 0 && ms == 1700000000123LL, "timestamp round trip");
    util_format_timestamp(0, ts, sizeof(ts));
    is_str(ts, "1970-01-01T00:00:00.000Z", "the epoch");
    util_format_timestamp(946688461005LL, ts, sizeof(ts));
    is_str(ts, "2000-01-01T01:01:01.005Z", "leading zeros in every field");
    util_format_timestamp(253402300799999LL, ts, sizeof(ts));
    is_str(ts, "9999-12-31T23:59:59.999Z", "the last four-digit year");
    char day[11];
    util_format_timestamp(1700000000123LL, day, sizeof(day));
    is_str(day, "2023-11-14", "a short buffer is cut as snprintf cuts");
    ok(util_parse_timestamp("2023-03-01T12:00:00Z", &ms) == 0, "seconds-only timestamps parse");
    ok(util_parse_timestamp("2023-13-01T12:00:00Z", &ms) != 0, "month 13 refused");
    ok(util_parse_timestamp("yesterday", &ms) != 0, "garbage refused");
    ok(util_parse_timestamp("2023-03-01 12:00:00Z", &ms) != 0, "a space for T refused");
    ok(util_parse_timestamp("2023-03-01T12:00:0aZ", &ms) != 0, "a letter among the digits refused");
    ok(util_parse_timestamp("2023-03-01T12:00:00.5Z", &ms) == 0 && ms % 1000 == 500,
       "one fraction digit means tenths");
    ok(util_parse_timestamp("2023-03-01T12:00:00", &ms) != 0, "a zone is required");
    util_new_id("msg", a, sizeof(a));
    util_new_id("msg", b, sizeof(b));
    ok(strncmp(a, "msg_", 4) == 0 && strlen(a) == 26, "id has the prefix and 22 characters");
    ok(strcmp(a, b) != 0, "ids differ");
    /* ordered ids: the same shape, and one made later sorts after */
    char prev[UTIL_ID_LEN] = "";
    bool sorted = true;
    for (int i = 0; i < 200; i++) {
        util_new_ordered_id("msg", a, sizeof(a));
        sorted = sorted && strcmp(prev, a) < 0 &&
                 strspn(a + 4, "234567abcdefghijklmnopqrstuvwxyz") == 22;
        snprintf(prev, sizeof prev, "%s", a);
    }
    ok(strncmp(a, "msg_", 4) == 0 && strlen(a) == 26,
       "an ordered id has the prefix and 22 characters");
    ok(sorted, "200 ordered ids in a row sort in the order they were made, all base32");
    util_new_ordered_id("msg", b, sizeof(b));
    ok(strcmp(a, b) != 0, "ordered ids differ");
}

static void test_utf8(void)
{
    ok(utf8_valid("héllo 日本", strlen("héllo 日本")), "valid UTF-8");
    ok(!utf8_valid("\xc3\x28", 2), "invalid continuation refused");
    ok(!utf8_valid("\xed\xa0\x80", 3), "surrogates refused");
    ok(!utf8_valid("\xc0\xaf", 2), "overlong refused");
    is_int(utf8_width("日本"), 4, "wide characters count two columns");
    is_int(utf8_width("héllo"), 5, "accented letters count one");
    is_int((long long)utf8_prefix_for_width("日本語", 5), 6,
           "prefix never splits a wide character");
}

/* The out-of-memory policy: x* never return NULL, a failure aborts with a message. */
static void test_xalloc(void)
{
    char *s = xasprintf("%s-%d", "room", 3);
    is_str(s, "room-3", "xasprintf formats like asprintf");
    free(s);
    json_object *o = xjson(json_object_new_object()), *a = xjson(json_object_new_array());
    xjson_push(a, xjson(json_object_new_int(1)));
    xjson_add(o, "list", a);
    is_str(jsonx_string(o, NULL), "{\"list\":[1]}", "xjson_add and xjson_push add like json-c");
    json_object_put(o);
#ifndef __SANITIZE_ADDRESS__ /* ASan answers an impossible size with its own report */
    int fds[2];
    char msg[128] = "";
    int status = 0;
    if (pipe(fds) == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            volatile size_t huge = SIZE_MAX / 2;
            dup2(fds[1], STDERR_FILENO);
            signal(SIGABRT, SIG_DFL);
            free(xmalloc(huge));
            _exit(0);
        }
        close(fds[1]);
        ssize_t n = read(fds[0], msg, sizeof msg - 1);
        msg[n > 0 ? n : 0] = '\0';
        msg[strcspn(msg, "\n")] = '\0';
        close(fds[0]);
        waitpid(pid, &status, 0);
    }
    ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "a failed xmalloc aborts");
    ok(strstr(msg, "out of memory") != NULL, "and says why on stderr: %s", msg);
#endif
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    test_device_validation();
    test_list_items();
    test_round_trip();
    test_message_check();
    test_dataset();
    test_json_errors();
    test_json_writer();
    test_config();
    test_time_and_ids();
    test_utf8();
    test_xalloc();
    return tap_done();
}
