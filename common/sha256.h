/* sha256.h: SHA-256 of a byte string as lowercase hex (libsodium). */
#ifndef EV_SHA256_H
#define EV_SHA256_H

#include <sodium.h>
#include <stddef.h>

#define EV_SHA256_HEX_LEN 64

/* Hashing in pieces, for bytes that pass through on their way elsewhere. */
typedef crypto_hash_sha256_state ev_sha256_ctx;
void ev_sha256_init(ev_sha256_ctx *ctx);
void ev_sha256_update(ev_sha256_ctx *ctx, const void *data, size_t len);
void ev_sha256_final_hex(ev_sha256_ctx *ctx, char out[EV_SHA256_HEX_LEN + 1]);

/* Writes 64 hex digits and a NUL into out. */
void ev_sha256_hex(const void *data, size_t len, char out[EV_SHA256_HEX_LEN + 1]);

/* The same for an open file, read from its current offset to the end in
 * chunks (memory stays small whatever the size). Returns 0, or -1 with
 * errno set. *len (may be NULL) gets the bytes hashed. */
int ev_sha256_fd_hex(int fd, char out[EV_SHA256_HEX_LEN + 1], unsigned long long *len);

#endif
