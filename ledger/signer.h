/*
 * signer.h: the Ed25519 key that signs the evidence ledger (libsodium).
 *
 * The daemon holds one signer with the secret key; an auditor verifying a
 * copied state directory holds one made from the exported public key alone.
 * Both verify; only the first signs.
 *
 * Files in the state directory:
 *   ledger.key  the 32-byte Ed25519 seed, raw. Mode 0600, owned by the
 *               daemon's user; any other owner or any group/other permission
 *               bit makes signer_open() refuse to use it, as ssh does.
 *   ledger.pub  the public key as 64 lowercase hex digits and a newline,
 *               mode 0644, written from the secret key at every open where
 *               it says anything else, so that it can never drift from the
 *               key that signs.
 *   ledger.vkey the same key as a C2SP signed-note verifier key (vkey.h),
 *               for checking checkpoints; written the same way.
 *
 * The secret key lives in sodium_malloc() memory (guard pages, locked
 * against swapping where the system allows, wiped when freed), read-only
 * except while it is being set up.
 *
 * Thread safety: a signer is immutable once opened; signing and verifying
 * may happen from any number of threads.
 */
#ifndef SIGNER_H
#define SIGNER_H

#include <stdbool.h>

#include <stddef.h>

#include "ev.h"
#include "vkey.h"

#define SIGNER_KEY_FILE "ledger.key"
#define SIGNER_PUB_FILE "ledger.pub"
#define SIGNER_VKEY_FILE "ledger.vkey"
#define SIGNER_HASH_BYTES 32
#define SIGNER_SIG_BYTES 64
#define SIGNER_PK_BYTES 32
#define SIGNER_PK_HEX_LEN (2 * SIGNER_PK_BYTES)

typedef struct signer signer;

/*
 * Load state_dir/ledger.key, or create it when it does not exist, and
 * (re)export state_dir/ledger.pub. A new key is written to a private
 * temporary file (O_CREAT|O_EXCL, 0600), fsynced, and published under its
 * final name with link(2), so that a crash never leaves a short key behind
 * and two starting daemons cannot both create one; the directory is fsynced
 * after. state_dir must exist and be writable, and the caller must hold its
 * lock (statelock.h): the key is created only by the one daemon of a ledger.
 * Returns EV_OK and *out, or EV_EINVAL (key file of the wrong owner, mode,
 * type or size), EV_EIO (a system call failed), EV_EINTERNAL (libsodium).
 */
ev_code signer_open(const char *state_dir, signer **out, ev_error *err);

/*
 * A verify-only signer from a ledger.pub file (64 hex digits, surrounding
 * white space ignored). Returns EV_EIO if it cannot be read, EV_EINVAL if it
 * does not hold a public key.
 */
ev_code signer_load_public(const char *path, signer **out, ev_error *err);

/* Wipe the secret key, if any, and free. NULL is accepted. */
void signer_close(signer *s);

bool signer_can_sign(const signer *s);

/*
 * Detached Ed25519 signature of a 32-byte hash. Returns EV_EINVAL when s was
 * made from a public key only.
 */
ev_code signer_sign(const signer *s, const unsigned char hash[SIGNER_HASH_BYTES],
                    unsigned char sig[SIGNER_SIG_BYTES], ev_error *err);

/* True when sig is a valid signature of hash by this signer's key. */
bool signer_verify(const signer *s, const unsigned char hash[SIGNER_HASH_BYTES],
                   const unsigned char sig[SIGNER_SIG_BYTES]);

/* Detached Ed25519 signature of a message (a signed note's text). */
ev_code signer_sign_message(const signer *s, const void *msg, size_t len,
                            unsigned char sig[SIGNER_SIG_BYTES], ev_error *err);

/* The verifier key of the signed notes this key signs. */
void signer_vkey(const signer *s, vkey *out);

/* The public key as lowercase hex and a NUL. */
void signer_public_hex(const signer *s, char out[SIGNER_PK_HEX_LEN + 1]);

#endif
