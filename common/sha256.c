/* sha256.c: hashing of document bytes with libsodium. */
#include "sha256.h"

#include <errno.h>
#include <sodium.h>
#include <unistd.h>

#include "ev.h"

int ev_sha256_fd_hex(int fd, char out[EV_SHA256_HEX_LEN + 1], unsigned long long *len)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    unsigned char buf[65536];
    unsigned long long total = 0;

    if (sodium_init() < 0)
        ev_die("libsodium could not be initialised");
    crypto_hash_sha256_init(&st);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
        total += (unsigned long long)n;
    }
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, EV_SHA256_HEX_LEN + 1, digest, sizeof digest);
    if (len)
        *len = total;
    return 0;
}

void ev_sha256_init(ev_sha256_ctx *ctx)
{
    if (sodium_init() < 0)
        ev_die("libsodium could not be initialised");
    crypto_hash_sha256_init(ctx);
}

void ev_sha256_update(ev_sha256_ctx *ctx, const void *data, size_t len)
{
    crypto_hash_sha256_update(ctx, data, (unsigned long long)len);
}

void ev_sha256_final_hex(ev_sha256_ctx *ctx, char out[EV_SHA256_HEX_LEN + 1])
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    crypto_hash_sha256_final(ctx, digest);
    sodium_bin2hex(out, EV_SHA256_HEX_LEN + 1, digest, sizeof digest);
}

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
