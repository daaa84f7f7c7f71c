/* sha256.c: hashing of document bytes with libsodium. */
#include "sha256.h"

#include <sodium.h>

#include "ev.h"

void ev_sha256_hex(const void *data, size_t len, char out[EV_SHA256_HEX_LEN + 1])
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    /* sodium_init() is idempotent and thread-safe; hashing needs no state
     * from it, but it is what libsodium asks of every caller. */
    if (sodium_init() < 0)
        ev_die("libsodium could not be initialised");
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, EV_SHA256_HEX_LEN + 1, digest, sizeof digest);
}
