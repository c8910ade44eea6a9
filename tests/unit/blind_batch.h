/* Blind batches (tests/data/blind/NN-*.txt): the file format, parsed into
 * cases the runner (engine_blind.c) plays against the engine. The format is
 * described in tests/data/blind/README.md. */
#ifndef SB_TESTS_BLIND_BATCH_H
#define SB_TESTS_BLIND_BATCH_H

#include <stddef.h>

#include "common/model.h"

enum blind_state { BLIND_PENDING, BLIND_SEALED, BLIND_FIXED };

/* One expected field change: dev.field OP value. */
enum blind_op {
    BLIND_EQ,      /* = value: ends at value (and so changed) */
    BLIND_GT,      /* > N: ends above N */
    BLIND_LT,      /* < N: ends below N */
    BLIND_CHANGED, /* =*: changes, to anything */
    BLIND_MAYBE,   /* =?: may change or not */
};

struct blind_change {
    char *device;
    char *field;
    enum blind_op op;
    char *value; /* JSON text form: on, 35, Kitchen Sink, null */
};

struct blind_turn {
    char *text;
    char *want; /* expected outcome class of this turn, or NULL */
};

struct blind_case {
    int line; /* of its first turn */
    char *home;
    char *klass; /* the class it exercises: negation, groups, ... */
    struct blind_turn *turns;
    size_t n_turns;
    char *want; /* outcome classes of the last turn: "done", "ask|answer", "*" */
    struct blind_change *changes;
    size_t n_changes;
    struct strlist says;  /* words the last reply must contain, any case */
    struct strlist cased; /* the same, exact case */
    char *needs;          /* the denial's requiredLevel */
};

struct blind_batch {
    char *path;
    char *number; /* "01" */
    char *style;
    enum blind_state state;
    char *first_time; /* "31/40 ..." or NULL */
    int held;         /* pending: how many must stay right, none acting wrongly (0: no hold) */
    struct blind_case *cases;
    size_t n_cases;
};

/* Parses a batch file; homes gives each home's devices, to check that every
 * expectation names a real device and field and wants a real change.
 * Returns 0, or -1 with a message naming the line in why. */
int blind_batch_load(const char *path, const struct customer *homes, size_t n_homes,
                     struct blind_batch *out, char *why, size_t why_len);
void blind_batch_free(struct blind_batch *b);

/* Whether an outcome from a chat result belongs to one of the classes in
 * want ("done", "ask|deny", "*"). Unknown class names never match; the loader
 * rejects them first (blind_class_known). */
int blind_outcome_matches(const char *want, const char *outcome);
int blind_class_known(const char *want);

#endif
