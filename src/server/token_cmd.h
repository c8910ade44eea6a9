/* servicebotd token create | list | revoke: the token lifecycle, run on an
 * open store from the command line (there is no REST route for tokens). */
#ifndef SB_TOKEN_CMD_H
#define SB_TOKEN_CMD_H

#include <stdbool.h>

#include "store/store.h"

struct token_cmd {
    const char *customer; /* create --customer ID */
    bool admin;           /* create --admin */
    const char *expires;  /* create --expires 30d */
    bool json;            /* list --json */
};

#define TOKEN_CMD_USAGE                                                                            \
    "token create --customer ID | --admin [--expires TIME] | token list [--json] | token revoke "  \
    "ID"

/* Checks `token SUB [ARG]` (argv[0] = SUB) before any store is opened;
 * returns 0, or 2 after printing what is wrong. */
int token_cmd_check(int argc, char **argv, const struct token_cmd *o);
/* Runs it; returns the exit status (0 or 1), having printed why on failure. */
int token_cmd_run(struct store *st, int argc, char **argv, const struct token_cmd *o);

#endif
