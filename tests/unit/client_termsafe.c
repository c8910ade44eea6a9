/* The terminal sanitiser: no control byte of server text gets through. */
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "client/termsafe.h"

static void check(const char *in, unsigned flags, const char *want, const char *name)
{
    char *got = termsafe_dup(in, flags);
    is_str(got, want, name);
    free(got);
}

int main(void)
{
    check("plain text", TERMSAFE_ONE_LINE, "plain text", "plain text is unchanged");
    check("Evil\x1b]0;pwned\x07\x1b[2J Lamp", TERMSAFE_ONE_LINE, "Evil ]0;pwned  [2J Lamp",
          "ESC and BEL become spaces (no OSC title, no screen clear)");
    check("a\xc2\x9b"
          "31mb",
          TERMSAFE_ONE_LINE, "a 31mb", "a C1 CSI (U+009B) becomes a space");
    check("x\x9b"
          "y",
          TERMSAFE_ONE_LINE, "x\xef\xbf\xbdy", "a lone 8-bit CSI byte becomes U+FFFD");
    check("caf\xc3\xa9 \xe2\x9c\x93", TERMSAFE_ONE_LINE, "caf\xc3\xa9 \xe2\x9c\x93",
          "UTF-8 text is kept");
    check("one\ntwo\tthree\r", TERMSAFE_ONE_LINE, "one two three ", "one line: newline and tab go");
    check("one\ntwo\r\n", TERMSAFE_KEEP_NEWLINES, "one\ntwo \n", "newlines kept when asked");
    check("\x7f\x01", TERMSAFE_ONE_LINE, "  ", "DEL and C0 controls");
    check("\xc0\xaf", TERMSAFE_ONE_LINE, "\xef\xbf\xbd\xef\xbf\xbd",
          "an overlong sequence is not UTF-8");
    check(NULL, TERMSAFE_ONE_LINE, "", "NULL is empty");
    char small[6];
    size_t n = termsafe_clean("ab\xc3\xa9\xc3\xa9", TERMSAFE_ONE_LINE, small, sizeof(small));
    is_str(small, "ab\xc3\xa9", "cut on a character boundary");
    is_int((int)n, 4, "the length written");
    return tap_done();
}
