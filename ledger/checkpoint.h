/*
 * checkpoint.h: signed checkpoints of the ledger's Merkle tree, a C2SP
 * tlog-checkpoint body in a C2SP signed note:
 *
 *   <origin>                  the ledger key's name (vkey.h)
 *   <tree size>               decimal, no leading zeros
 *   <root hash>               base64 (standard, padded) of 32 bytes
 *                             (an empty line)
 *   — <key name> <base64(key id || Ed25519 signature)>
 *
 * Every line ends with a newline; the signature covers the body, its last
 * newline included, not the empty line. A note may carry signature lines
 * of other keys (a witness's): they are ignored, as the spec says; body
 * lines after the third (extensions) are accepted and not interpreted.
 *
 * The daemon keeps the last checkpoint it signed in its state directory
 * (CHECKPOINT_FILE, outside ledger.db): a ledger that does not extend it
 * was rolled back.
 */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "ev.h"
#include "ledger.h"
#include "merkle.h"
#include "signer.h"
#include "vkey.h"

#define CHECKPOINT_FILE "checkpoint"
/* Longest note accepted: ours are about 200 bytes; room for witnesses. */
#define CHECKPOINT_NOTE_MAX 8192
/* A root hash in base64, NUL included. */
#define CHECKPOINT_B64_LEN 45

typedef struct checkpoint {
    char origin[VKEY_NAME_MAX];
    ledger_tree_head head;      /* tree size and root hash */
} checkpoint;

/* The signed note of the tree head, signed with s's secret key; the
 * caller frees *note. */
ev_code checkpoint_sign(const signer *s, const ledger_tree_head *head, char **note,
                        ev_error *err);

/*
 * Parse a note of len bytes and check it: the signature of key k (its name
 * and key id) must be there and verify, and the origin must be k's name.
 * Returns EV_EINVAL with a message saying what is wrong (truncated, bad
 * base64, a size that is not a number, no or a bad signature, too long).
 */
ev_code checkpoint_open(const char *note, size_t len, const vkey *k, checkpoint *out,
                        ev_error *err);

/* The same for a file; *note (may be NULL) gets its text, which the caller
 * frees. EV_ENOTFOUND when there is no such file. */
ev_code checkpoint_load(const char *path, const vkey *k, checkpoint *out, char **note,
                        ev_error *err);

/*
 * Whether the ledger extends the tree head: it has at least head->size
 * event rows and the first head->size of them have head->root (read from the
 * stored tree: O(log n)). EV_OK and *extends, or the ledger's error.
 */
ev_code checkpoint_extended_by(ledger *l, const ledger_tree_head *head, bool *extends,
                               ev_error *err);

/* "the checkpoint of N events (root BASE64)", for messages. */
#define CHECKPOINT_DESCRIPTION_MAX 128
void checkpoint_describe(const ledger_tree_head *head, char out[CHECKPOINT_DESCRIPTION_MAX]);

/* base64 of a root hash, as the note writes it. */
void checkpoint_root_base64(const merkle_hash root, char out[CHECKPOINT_B64_LEN]);

/* Decode exactly 32 bytes of padded standard base64; false otherwise. */
bool checkpoint_hash_decode(const char *b64, size_t len, merkle_hash out);

#endif
