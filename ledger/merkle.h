/*
 * merkle.h: the Merkle tree of RFC 6962 / RFC 9162 section 2.1 over the
 * ledger's events, its proofs and their verification.
 *
 *   leaf hash  SHA-256(0x00 || leaf bytes)
 *   node hash  SHA-256(0x01 || left || right)
 *   MTH({})    SHA-256 of nothing
 *   MTH(D[n])  for n > 1, with k the largest power of two below n:
 *              node(MTH(D[0:k]), MTH(D[k:n]))
 *
 * Storage is the caller's. A tree is read through a merkle_node_fn that
 * returns the hash of a complete subtree: (level L, index i) covers the 2^L
 * leaves from i * 2^L on. Every hash a proof or a root needs is a fold of
 * O(log n) such subtrees, so nothing here walks the leaves. The ledger
 * stores each complete subtree as it completes (ledger.c); tests and
 * verification accumulate a tree in memory with merkle_edge.
 *
 * Proofs are arrays of at most MERKLE_MAX_PROOF hashes, ordered from the
 * leaf side up, as RFC 9162 builds them.
 */
#ifndef MERKLE_H
#define MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ev.h"

#define MERKLE_HASH_BYTES 32
/* An inclusion proof has at most 63 hashes and a consistency proof at most
 * 64 for any tree of fewer than 2^63 leaves; room for both. */
#define MERKLE_MAX_PROOF 128
/* Levels of complete subtrees: sizes are below 2^63. */
#define MERKLE_MAX_LEVELS 64

typedef unsigned char merkle_hash[MERKLE_HASH_BYTES];

void merkle_leaf_hash(const void *leaf, size_t len, merkle_hash out);
void merkle_node_hash(const merkle_hash left, const merkle_hash right, merkle_hash out);
/* The root of the empty tree. */
void merkle_empty_root(merkle_hash out);

/* The hash of the complete subtree (level, index); EV_OK or the store's
 * error (EV_ENOTFOUND for a subtree it does not hold). */
typedef ev_code (*merkle_node_fn)(void *ctx, int level, uint64_t index, merkle_hash out,
                                  ev_error *err);

/* The root of the first `size` leaves. */
ev_code merkle_root(merkle_node_fn fn, void *ctx, uint64_t size, merkle_hash out, ev_error *err);

/*
 * The audit path of leaf `index` in the tree of the first `size` leaves
 * (index < size): hashes[0 .. *count). EV_EINVAL for an index out of range.
 */
ev_code merkle_prove_inclusion(merkle_node_fn fn, void *ctx, uint64_t index, uint64_t size,
                               merkle_hash hashes[MERKLE_MAX_PROOF], size_t *count,
                               ev_error *err);

/*
 * The proof that the tree of old_size leaves is a prefix of the tree of
 * new_size leaves (old_size <= new_size; empty when old_size is 0 or equal).
 */
ev_code merkle_prove_consistency(merkle_node_fn fn, void *ctx, uint64_t old_size,
                                 uint64_t new_size, merkle_hash hashes[MERKLE_MAX_PROOF],
                                 size_t *count, ev_error *err);

/* True when the path proves leaf_hash at index in the tree of size with
 * that root. Any size, index or count is accepted and simply fails. */
bool merkle_verify_inclusion(uint64_t index, uint64_t size, const merkle_hash leaf_hash,
                             const merkle_hash *hashes, size_t count, const merkle_hash root);

/* True when the proof shows the tree (old_size, old_root) is a prefix of
 * (new_size, new_root). An empty old tree is a prefix of every tree. */
bool merkle_verify_consistency(uint64_t old_size, uint64_t new_size, const merkle_hash old_root,
                               const merkle_hash new_root, const merkle_hash *hashes,
                               size_t count);

typedef ev_code (*merkle_store_fn)(void *ctx, int level, uint64_t index, const merkle_hash h,
                                   ev_error *err);

/*
 * Append leaf `index` (the tree held `index` leaves) to a stored tree: put
 * the leaf hash at level 0, then each subtree it completes, reading their
 * left halves through get. O(log n) reads and writes at worst, two on
 * average.
 */
ev_code merkle_append(merkle_node_fn get, merkle_store_fn put, void *ctx, uint64_t index,
                      const merkle_hash leaf_hash, ev_error *err);

/*
 * The right edge of a tree built leaf by leaf: one complete subtree per bit
 * set in size, largest first. Enough to give the root at any moment, and to
 * learn each complete subtree as it completes (on_node, may be NULL).
 */
typedef struct merkle_edge {
    uint64_t size;
    int count;
    merkle_hash h[MERKLE_MAX_LEVELS];
} merkle_edge;

void merkle_edge_init(merkle_edge *e);
/* Append a leaf by its hash; on_node hears of every subtree completed, the
 * leaf itself (level 0) included. Stops at on_node's first error. */
ev_code merkle_edge_push(merkle_edge *e, const merkle_hash leaf_hash, merkle_store_fn on_node,
                         void *ctx, ev_error *err);
void merkle_edge_root(const merkle_edge *e, merkle_hash out);

#endif
