/*
 * vkey.h: a C2SP signed-note verifier key for the ledger's Ed25519 key.
 *
 *   key name  "evidenced/" and the first 16 hex digits of the public key:
 *             one name per ledger key, stable across hosts and renames,
 *             with no space or '+' (the signed-note rules). It is also the
 *             origin line of the ledger's checkpoints.
 *   key id    the first 4 bytes of SHA-256(name || 0x0A || 0x01 || key),
 *             0x01 being the signed-note signature type of Ed25519
 *   vkey      name "+" key id as 8 lowercase hex digits "+"
 *             base64(0x01 || key), standard base64 with padding
 */
#ifndef VKEY_H
#define VKEY_H

#include "ev.h"

#define VKEY_PK_BYTES 32
#define VKEY_ID_BYTES 4
#define VKEY_NAME_MAX 128      /* longest name accepted, NUL included */
#define VKEY_TEXT_MAX 256      /* longest vkey text accepted, NUL included */
#define VKEY_TYPE_ED25519 0x01

typedef struct vkey {
    char name[VKEY_NAME_MAX];
    unsigned char id[VKEY_ID_BYTES];
    unsigned char pk[VKEY_PK_BYTES];
} vkey;

/* The ledger's verifier key of public key pk. */
void vkey_from_public(const unsigned char pk[VKEY_PK_BYTES], vkey *out);

/* The key id of (name, Ed25519 pk). */
void vkey_key_id(const char *name, const unsigned char pk[VKEY_PK_BYTES],
                 unsigned char id[VKEY_ID_BYTES]);

/* The vkey text, without a newline. */
void vkey_format(const vkey *k, char out[VKEY_TEXT_MAX]);

/*
 * Parse a vkey (surrounding white space ignored). Refuses, with EV_EINVAL
 * and a message saying what: a bad name, a key id that is not 8 hex digits
 * or not the one the name and key give, bad base64, another signature type
 * or key length.
 */
ev_code vkey_parse(const char *text, vkey *out, ev_error *err);

/* Read a file holding one vkey (at most a few hundred bytes). */
ev_code vkey_load(const char *path, vkey *out, ev_error *err);

/* Whether name is a valid key name (non-empty UTF-8, no space, no '+'). */
bool vkey_name_valid(const char *name, size_t len);

#endif
