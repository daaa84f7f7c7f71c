/*
 * proof.h: inclusion and consistency proofs of the ledger's Merkle tree as
 * JSON, made from a ledger and checked against signed checkpoints.
 *
 *   inclusion    {"leaf_index": I, "tree_size": N, "leaf": base64(the
 *                 canonical event of seq I + 1), "hashes": [base64, ...]}
 *   consistency  {"old_size": M, "new_size": N, "hashes": [base64, ...]}
 *
 * Hashes are 32 bytes each, in the order of RFC 9162 section 2.1. Checking
 * needs nothing but the proof, the checkpoint(s) and the vkey, so an
 * auditor can do it offline. Every malformed proof (a missing or extra
 * member, a wrong type, a size that disagrees with the checkpoint, bad
 * base64, too many hashes, a leaf over PROOF_LEAF_MAX) is refused with
 * EV_EINVAL and a message that says which.
 */
#ifndef PROOF_H
#define PROOF_H

#include <stdint.h>

#include <jansson.h>

#include "checkpoint.h"
#include "ledger.h"

/* The largest leaf a proof may carry (an event with its whole payload). */
#define PROOF_LEAF_MAX (4u << 20)
/* The largest proof file read. */
#define PROOF_FILE_MAX (8u << 20)

/* The proof that event seq is in the tree of the first size events. */
json_t *proof_inclusion(ledger *l, int64_t seq, uint64_t size, ev_error *err);

/* The proof that the first old_size events are a prefix of the first
 * new_size. */
json_t *proof_consistency(ledger *l, uint64_t old_size, uint64_t new_size, ev_error *err);

/* Which kind a parsed proof claims to be, from its members. */
typedef enum proof_kind { PROOF_UNKNOWN, PROOF_INCLUSION, PROOF_CONSISTENCY } proof_kind;
proof_kind proof_kind_of(const json_t *proof);

/* Check an inclusion proof against a checkpoint already opened with its
 * vkey. On success *leaf (may be NULL) is the proven event's canonical
 * text (the caller frees it) and *seq its seq. */
ev_code proof_check_inclusion(const json_t *proof, const checkpoint *c, char **leaf,
                              int64_t *seq, ev_error *err);

/* Check a consistency proof from the older checkpoint to the newer. */
ev_code proof_check_consistency(const json_t *proof, const checkpoint *older,
                                const checkpoint *newer, ev_error *err);

#endif
