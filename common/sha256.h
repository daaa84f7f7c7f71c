/* sha256.h: SHA-256 of a byte string as lowercase hex (libsodium). */
#ifndef EV_SHA256_H
#define EV_SHA256_H

#include <stddef.h>

#define EV_SHA256_HEX_LEN 64

/* Writes 64 hex digits and a NUL into out. */
void ev_sha256_hex(const void *data, size_t len, char out[EV_SHA256_HEX_LEN + 1]);

#endif
