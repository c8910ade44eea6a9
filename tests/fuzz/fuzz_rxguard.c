/* libFuzzer target: the byte guard's state machine (src/server/rxguard.c),
 * built with small limits (RXGUARD_HEAD_MAX 256, RXGUARD_FIELDS_MAX 16) so
 * that short inputs reach them. Input: one byte seeding the chunk sizes,
 * then the bytes of a connection. The stream is scanned whole and in
 * chunks of 1 to 64 bytes, as the reads of rxguard_io.c would hand them
 * over (a frame header split after its first byte settled by a peek, or
 * by holding the byte back at the end); both must give the same bytes to
 * lws and the same verdict, within the room each scan was given. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/rxguard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SLACK 32 /* room after the bytes: more than any cut head's end */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned x = data[0];
    data++;
    size--;
    unsigned char *whole = malloc(size + SLACK), *chunked = malloc(size + SLACK);
    struct rxguard a, b;
    rxguard_init(&a, false);
    rxguard_init(&b, false);
    if (size)
        memcpy(whole, data, size);
    size_t n = rxguard_scan(&a, whole, 0, size, size + SLACK);
    if (n > size + SLACK)
        abort();
    if (rxguard_split_frame(&a)) {
        rxguard_hold(&a, whole, n);
        n--;
    }
    size_t pos = 0, total = 0;
    unsigned char chunk[1 + 64 + SLACK];
    while (pos < size) {
        x = x * 1103515245u + 12345u;
        size_t len = 1 + (x >> 16) % 64, held = 0;
        if (len > size - pos)
            len = size - pos;
        if (b.carry >= 0) {
            chunk[0] = (unsigned char)b.carry;
            b.carry = -1;
            held = 1;
        }
        memcpy(chunk + held, data + pos, len);
        pos += len;
        size_t m = rxguard_scan(&b, chunk, 0, held + len, held + len + SLACK);
        if (m > held + len + SLACK || rxguard_flush(&b, chunk + m, 0))
            abort();
        if (rxguard_split_frame(&b)) {
            if (pos < size) {
                rxguard_peeked(&b, chunk, m, data[pos]);
            } else {
                rxguard_hold(&b, chunk, m);
                m--;
            }
        }
        memcpy(chunked + total, chunk, m);
        total += m;
        if (total > size + SLACK)
            abort();
    }
    struct rxguard_answer va, vb;
    bool cut_a = rxguard_verdict_next(&a, &va), cut_b = rxguard_verdict_next(&b, &vb);
    if (n != total || (n && memcmp(whole, chunked, n)) || a.verdict != b.verdict ||
        a.verdict_head != b.verdict_head || cut_a != cut_b || a.heads != b.heads)
        abort();
    free(whole);
    free(chunked);
    return 0;
}
