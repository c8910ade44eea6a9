/* The one check every string field goes through, on every write path (REST
 * bodies, chat over REST and WebSocket, import) and when a stored record is
 * read back: well-formed UTF-8 without NUL bytes, and no control characters
 * where a person reads the value on one line (names, rooms, titles, ids). */
#ifndef SB_VALIDATE_H
#define SB_VALIDATE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

enum validate_kind {
    VALIDATE_LABEL, /* names, rooms, titles, ids: no control character at all */
    VALIDATE_TEXT,  /* chat messages, descriptions: newline, CR and tab allowed */
    VALIDATE_BYTES, /* any character: only UTF-8 and NUL are checked */
};

/* Whether s[0..len) may be stored as a field of that kind; when not, problem
 * gets a sentence to put after the field's name ("must be valid UTF-8 (bad
 * byte 0xff at offset 1)"). */
bool validate_string(const char *s, size_t len, enum validate_kind kind, char *problem, size_t n);

/* The kind of a field from its length limit: fields of up to MODEL_NAME_MAX
 * bytes are read on one line (labels), longer ones are free text. */
enum validate_kind validate_kind_for(size_t max);

/* Replaces each byte of s that is not part of well-formed UTF-8 with '?', in
 * place: for sentences that quote what a client sent. */
void validate_scrub(char *s);

/* The string members of a chat request (a REST body or a WebSocket frame):
 * customerId, conversationId and id are labels, message (REST) and text (WS)
 * free text. On the first bad one, *bad is its name and problem what is wrong. */
bool validate_chat(json_object *o, const char **bad, char *problem, size_t n);

/* Checks every string and key in a parsed JSON value for UTF-8 and NUL bytes
 * (controls are left to the field readers: free text may hold newlines).
 * On failure path gets the first bad field ("devices[0].name") and problem
 * what is wrong with it. */
bool validate_json_text(json_object *o, char *path, size_t path_n, char *problem, size_t n);

#endif
