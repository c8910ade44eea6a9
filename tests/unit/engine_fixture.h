/* A store loaded with data/seed.json (and optionally another dataset) and an
 * engine on it, for the engine's tests, fuzz targets and benchmark. */
#ifndef SB_TESTS_ENGINE_FIXTURE_H
#define SB_TESTS_ENGINE_FIXTURE_H

#include "engine/engine.h"
#include "store/store.h"

/* Opens a SQLite store at path (a file, or ":memory:"), imports the seed and
 * makes an engine. Returns 0, or -1 after printing why to stderr. */
int fixture_open(const char *path, struct store **st, struct engine **e);
/* The same, importing the dataset file first (then the seed, whose levels
 * and catalogue win). */
int fixture_open_with(const char *path, const char *dataset, struct store **st, struct engine **e);
/* Imports one dataset file (servicebotd import's format) into st. */
int fixture_import(struct store *st, const char *file, struct sb_err *err);
void fixture_close(struct store *st, struct engine *e);

/* Sends text as customer in conversation conv (NULL: new) and returns the
 * chat result (a new reference), or NULL after printing the error. */
json_object *fixture_chat(struct engine *e, const char *customer, const char *conv,
                          const char *text);

#endif
