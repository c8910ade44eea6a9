/* Message retention (servicebotd --retention): per customer, how old a
 * message may get and how many are kept; the seed keeps every message and
 * so does servicebotd unless told otherwise. A sweep on a worker applies
 * the rules when servicebotd starts and every RETENTION_SWEEP_SECS. */
#ifndef SB_RETENTION_H
#define SB_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "common/model.h"

#define RETENTION_SWEEP_SECS 60

struct retention_rule {
    char customer[MODEL_ID_MAX]; /* "*": every customer without a rule of its own */
    int64_t max_age_secs;        /* 0: no age limit */
    size_t max_messages;         /* 0: no count limit */
};

struct retention {
    struct retention_rule *rules;
    size_t n;
};

/* Parses "CUSTOMER:AGE:COUNT[,CUSTOMER:AGE:COUNT...]": CUSTOMER is an id
 * or "*", AGE a lifetime such as 30d (or "-"), COUNT a number of messages
 * (or "-"). SB_EINVAL naming the bad part otherwise. */
int retention_parse(const char *spec, struct retention *out, struct sb_err *err);
void retention_free(struct retention *r);
/* The rule for a customer: its own, else "*", else NULL (keep everything). */
const struct retention_rule *retention_rule_for(const struct retention *r, const char *customer);

struct server;
/* Starts the sweeps when srv's options carry any rule. */
void retention_start(struct server *srv);

#endif
