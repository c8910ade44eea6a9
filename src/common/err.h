/* Error reporting shared by every module.
 *
 * Library-style functions return an int status (SB_OK or one of the codes
 * below) and, on failure, fill a struct sb_err with a sentence a person can
 * read. The caller owns the struct; it holds no heap memory. */
#ifndef SB_ERR_H
#define SB_ERR_H

enum sb_status {
    SB_OK = 0,
    SB_EINVAL,    /* bad input: a field, an argument, a body */
    SB_ENOTFOUND, /* the thing asked for does not exist */
    SB_ECONFLICT, /* concurrent change or duplicate; try again */
    SB_EDENIED,   /* the customer's level does not allow it */
    SB_ELIMIT,    /* a tier limit such as max_devices */
    SB_ECORRUPT,  /* a stored record cannot be read back */
    SB_EUNAVAIL,  /* a backend cannot be reached right now */
    SB_EAUTH,     /* credentials missing or wrong */
    SB_EINTERNAL, /* anything else */
};

struct sb_err {
    enum sb_status code;
    char msg[512];
};

/* Sets err (when not NULL) and returns code, so that "return sb_err_set(...)" reads well. */
int sb_err_set(struct sb_err *err, enum sb_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the message already in err with more context ("loading seed.json: ..."). */
void sb_err_prefix(struct sb_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The machine code for a status: "bad_request", "not_found", ... */
const char *sb_status_name(enum sb_status code);

#endif
