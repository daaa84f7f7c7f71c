/* merkle.c: RFC 6962 tree hashes, proofs built from complete subtrees, and
 * the RFC 9162 verification algorithms. */
#include "merkle.h"

#include <assert.h>
#include <string.h>

#include <sodium.h>

void merkle_leaf_hash(const void *leaf, size_t len, merkle_hash out)
{
    static const unsigned char prefix = 0x00;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, &prefix, 1);
    crypto_hash_sha256_update(&h, leaf, len);
    crypto_hash_sha256_final(&h, out);
}

void merkle_node_hash(const merkle_hash left, const merkle_hash right, merkle_hash out)
{
    static const unsigned char prefix = 0x01;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, &prefix, 1);
    crypto_hash_sha256_update(&h, left, MERKLE_HASH_BYTES);
    crypto_hash_sha256_update(&h, right, MERKLE_HASH_BYTES);
    crypto_hash_sha256_final(&h, out);
}

void merkle_empty_root(merkle_hash out)
{
    crypto_hash_sha256(out, NULL, 0);
}

/* The largest power of two strictly below n (n > 1). */
static uint64_t split_point(uint64_t n)
{
    assert(n > 1);
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

static int log2_exact(uint64_t p)
{
    int l = 0;
    while (p > 1) {
        p >>= 1;
        l++;
    }
    return l;
}

/*
 * MTH(D[lo:hi]) for a range the recursive definition produces: lo is a
 * multiple of a power of two no smaller than hi - lo, so the range is a
 * run of complete subtrees of decreasing size, folded from the right.
 */
static ev_code range_hash(merkle_node_fn fn, void *ctx, uint64_t lo, uint64_t hi, merkle_hash out,
                          ev_error *err)
{
    merkle_hash parts[MERKLE_MAX_LEVELS];
    int n = 0;
    assert(lo < hi);
    do {
        int level = log2_exact(hi - lo);
        uint64_t p = (uint64_t)1 << level;
        assert(lo % p == 0 && n < MERKLE_MAX_LEVELS);
        ev_code rc = fn(ctx, level, lo >> level, parts[n], err);
        if (rc != EV_OK)
            return rc;
        n++;
        lo += p;
    } while (lo < hi && n < MERKLE_MAX_LEVELS);
    memcpy(out, parts[n - 1], MERKLE_HASH_BYTES);
    for (int i = n - 2; i >= 0; i--)
        merkle_node_hash(parts[i], out, out);
    return EV_OK;
}

ev_code merkle_root(merkle_node_fn fn, void *ctx, uint64_t size, merkle_hash out, ev_error *err)
{
    if (size == 0) {
        merkle_empty_root(out);
        return EV_OK;
    }
    return range_hash(fn, ctx, 0, size, out, err);
}

typedef struct prover {
    merkle_node_fn fn;
    void *ctx;
    merkle_hash *hashes;
    size_t count;
    ev_error *err;
} prover;

static ev_code emit_range(prover *p, uint64_t lo, uint64_t hi)
{
    assert(p->count < MERKLE_MAX_PROOF);
    return range_hash(p->fn, p->ctx, lo, hi, p->hashes[p->count++], p->err);
}

/* PATH(m, D[lo:hi]) of RFC 9162 2.1.3.1, the deepest hash first. */
static ev_code path(prover *p, uint64_t m, uint64_t lo, uint64_t hi)
{
    if (hi - lo <= 1)
        return EV_OK;
    uint64_t k = split_point(hi - lo);
    ev_code rc;
    if (m < lo + k) {
        rc = path(p, m, lo, lo + k);
        return rc == EV_OK ? emit_range(p, lo + k, hi) : rc;
    }
    rc = path(p, m, lo + k, hi);
    return rc == EV_OK ? emit_range(p, lo, lo + k) : rc;
}

/* SUBPROOF(m, D[lo:hi], whole) of RFC 9162 2.1.4.1, m counted from lo. */
static ev_code subproof(prover *p, uint64_t m, uint64_t lo, uint64_t hi, bool whole)
{
    if (m == hi - lo)
        return whole ? EV_OK : emit_range(p, lo, hi);
    uint64_t k = split_point(hi - lo);
    ev_code rc;
    if (m <= k) {
        rc = subproof(p, m, lo, lo + k, whole);
        return rc == EV_OK ? emit_range(p, lo + k, hi) : rc;
    }
    rc = subproof(p, m - k, lo + k, hi, false);
    return rc == EV_OK ? emit_range(p, lo, lo + k) : rc;
}

ev_code merkle_prove_inclusion(merkle_node_fn fn, void *ctx, uint64_t index, uint64_t size,
                               merkle_hash hashes[MERKLE_MAX_PROOF], size_t *count,
                               ev_error *err)
{
    *count = 0;
    if (index >= size)
        return ev_fail(err, EV_EINVAL, "leaf %llu is not in a tree of %llu leaves",
                       (unsigned long long)index, (unsigned long long)size);
    prover p = {fn, ctx, hashes, 0, err};
    ev_code rc = path(&p, index, 0, size);
    *count = p.count;
    return rc;
}

ev_code merkle_prove_consistency(merkle_node_fn fn, void *ctx, uint64_t old_size,
                                 uint64_t new_size, merkle_hash hashes[MERKLE_MAX_PROOF],
                                 size_t *count, ev_error *err)
{
    *count = 0;
    if (old_size > new_size)
        return ev_fail(err, EV_EINVAL, "a tree of %llu leaves is no prefix of one of %llu",
                       (unsigned long long)old_size, (unsigned long long)new_size);
    if (old_size == 0 || old_size == new_size)
        return EV_OK;
    prover p = {fn, ctx, hashes, 0, err};
    ev_code rc = subproof(&p, old_size, 0, new_size, true);
    *count = p.count;
    return rc;
}

static bool same_hash(const merkle_hash a, const merkle_hash b)
{
    return sodium_memcmp(a, b, MERKLE_HASH_BYTES) == 0;
}

/* After a left-hand sibling with fn even: climb while fn is even and not 0. */
static void climb_even(uint64_t *fn, uint64_t *sn)
{
    while (*fn != 0 && !(*fn & 1)) {
        *fn >>= 1;
        *sn >>= 1;
    }
}

bool merkle_verify_inclusion(uint64_t index, uint64_t size, const merkle_hash leaf_hash,
                             const merkle_hash *hashes, size_t count, const merkle_hash root)
{
    if (index >= size || count > MERKLE_MAX_PROOF)
        return false;
    uint64_t fn = index, sn = size - 1;
    merkle_hash r;
    memcpy(r, leaf_hash, MERKLE_HASH_BYTES);
    for (size_t i = 0; i < count; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(hashes[i], r, r);
            if (!(fn & 1))
                climb_even(&fn, &sn);
        } else {
            merkle_node_hash(r, hashes[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && same_hash(r, root);
}

bool merkle_verify_consistency(uint64_t old_size, uint64_t new_size, const merkle_hash old_root,
                               const merkle_hash new_root, const merkle_hash *hashes,
                               size_t count)
{
    if (old_size > new_size || count > MERKLE_MAX_PROOF)
        return false;
    if (old_size == 0)
        return count == 0;
    if (old_size == new_size)
        return count == 0 && same_hash(old_root, new_root);
    if (count == 0)
        return false;

    /* When the old tree is a complete subtree its root starts the path. */
    const merkle_hash *path_at = hashes;
    size_t n = count, i = 0;
    merkle_hash fr, sr;
    bool prepend = (old_size & (old_size - 1)) == 0;
    if (prepend) {
        memcpy(fr, old_root, MERKLE_HASH_BYTES);
    } else {
        memcpy(fr, path_at[0], MERKLE_HASH_BYTES);
        i = 1;
    }
    memcpy(sr, fr, MERKLE_HASH_BYTES);
    uint64_t fn = old_size - 1, sn = new_size - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; i < n; i++) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(path_at[i], fr, fr);
            merkle_node_hash(path_at[i], sr, sr);
            if (!(fn & 1))
                climb_even(&fn, &sn);
        } else {
            merkle_node_hash(sr, path_at[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && same_hash(fr, old_root) && same_hash(sr, new_root);
}

ev_code merkle_append(merkle_node_fn get, merkle_store_fn put, void *ctx, uint64_t index,
                      const merkle_hash leaf_hash, ev_error *err)
{
    merkle_hash h, left;
    int level = 0;
    memcpy(h, leaf_hash, MERKLE_HASH_BYTES);
    ev_code rc = put(ctx, 0, index, h, err);
    while (rc == EV_OK && (index & 1)) {
        rc = get(ctx, level, index - 1, left, err);
        if (rc != EV_OK)
            break;
        merkle_node_hash(left, h, h);
        index >>= 1;
        level++;
        rc = put(ctx, level, index, h, err);
    }
    return rc;
}

void merkle_edge_init(merkle_edge *e)
{
    memset(e, 0, sizeof *e);
}

ev_code merkle_edge_push(merkle_edge *e, const merkle_hash leaf_hash, merkle_store_fn on_node,
                         void *ctx, ev_error *err)
{
    merkle_hash h;
    uint64_t index = e->size;
    int level = 0;
    memcpy(h, leaf_hash, MERKLE_HASH_BYTES);
    ev_code rc = on_node ? on_node(ctx, 0, index, h, err) : EV_OK;
    /* Each trailing one bit of the old size is a subtree the new leaf completes. */
    while (rc == EV_OK && (index & 1)) {
        assert(e->count > 0);
        merkle_node_hash(e->h[--e->count], h, h);
        index >>= 1;
        level++;
        if (on_node)
            rc = on_node(ctx, level, index, h, err);
    }
    if (rc != EV_OK)
        return rc;
    assert(e->count < MERKLE_MAX_LEVELS);
    memcpy(e->h[e->count++], h, MERKLE_HASH_BYTES);
    e->size++;
    return EV_OK;
}

void merkle_edge_root(const merkle_edge *e, merkle_hash out)
{
    if (e->count == 0) {
        merkle_empty_root(out);
        return;
    }
    memcpy(out, e->h[e->count - 1], MERKLE_HASH_BYTES);
    for (int i = e->count - 2; i >= 0; i--)
        merkle_node_hash(e->h[i], out, out);
}
