/* SHA-256 (FIPS 180-4), enough to hash API tokens without another library. */
#ifndef SB_SHA256_H
#define SB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 65 /* 64 hex digits and a NUL */

/* Digest of data[0..len) into out[32]. */
void sha256(const void *data, size_t len, uint8_t out[32]);
/* The same digest as lower-case hex into hex[SHA256_HEX_LEN]. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

#endif
