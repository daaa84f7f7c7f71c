/* test_merkle.c: RFC 6962 roots, proofs and their verification, against the
 * recursive definition and the RFC's published test vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "merkle.h"

#define MAX_LEAVES 70

/* A tree in memory: every complete subtree, as merkle_append stores it. */
typedef struct store {
    merkle_hash node[MERKLE_MAX_LEVELS][MAX_LEAVES];
    bool have[MERKLE_MAX_LEVELS][MAX_LEAVES];
    merkle_hash leaf[MAX_LEAVES];
    uint64_t size;
} store;

static ev_code get(void *ctx, int level, uint64_t index, merkle_hash out, ev_error *err)
{
    store *s = ctx;
    if (index >= MAX_LEAVES || !s->have[level][index])
        return ev_fail(err, EV_ENOTFOUND, "no node %d/%llu", level, (unsigned long long)index);
    memcpy(out, s->node[level][index], MERKLE_HASH_BYTES);
    return EV_OK;
}

static ev_code put(void *ctx, int level, uint64_t index, const merkle_hash h, ev_error *err)
{
    store *s = ctx;
    (void)err;
    assert_true(index < MAX_LEAVES);
    assert_false(s->have[level][index]);
    memcpy(s->node[level][index], h, MERKLE_HASH_BYTES);
    s->have[level][index] = true;
    return EV_OK;
}

/* MTH straight from the definition, over stored leaf hashes. */
static void mth(const store *s, uint64_t lo, uint64_t hi, merkle_hash out)
{
    if (hi == lo) {
        merkle_empty_root(out);
        return;
    }
    if (hi - lo == 1) {
        memcpy(out, s->leaf[lo], MERKLE_HASH_BYTES);
        return;
    }
    uint64_t k = 1;
    while (k * 2 < hi - lo)
        k *= 2;
    merkle_hash l, r;
    mth(s, lo, lo + k, l);
    mth(s, lo + k, hi, r);
    merkle_node_hash(l, r, out);
}

static store *grow(size_t n)
{
    store *s = ev_calloc(1, sizeof *s);
    merkle_edge e;
    merkle_edge_init(&e);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        int len = snprintf(text, sizeof text, "event %zu", i);
        merkle_leaf_hash(text, (size_t)len, s->leaf[i]);
        assert_int_equal(merkle_append(get, put, s, i, s->leaf[i], NULL), EV_OK);
        assert_int_equal(merkle_edge_push(&e, s->leaf[i], NULL, NULL, NULL), EV_OK);
        s->size = i + 1;

        merkle_hash want, got, edge_root;
        mth(s, 0, s->size, want);
        assert_int_equal(merkle_root(get, s, s->size, got, NULL), EV_OK);
        merkle_edge_root(&e, edge_root);
        assert_memory_equal(want, got, MERKLE_HASH_BYTES);
        assert_memory_equal(want, edge_root, MERKLE_HASH_BYTES);
    }
    return s;
}

static void test_roots_match_the_definition(void **state)
{
    (void)state;
    free(grow(MAX_LEAVES));
}

static void hex(const char *h, merkle_hash out)
{
    size_t len;
    assert_int_equal(sodium_hex2bin(out, MERKLE_HASH_BYTES, h, strlen(h), NULL, &len, NULL), 0);
    assert_int_equal(len, MERKLE_HASH_BYTES);
}

/* The eight leaves of the RFC 6962 reference tests and their roots. */
static void test_rfc6962_vectors(void **state)
{
    (void)state;
    static const char *const leaves[] = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    };
    static const char *const roots[] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };
    merkle_hash empty, want;
    hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want);
    merkle_empty_root(empty);
    assert_memory_equal(empty, want, MERKLE_HASH_BYTES);

    merkle_edge e;
    merkle_edge_init(&e);
    for (size_t i = 0; i < EV_ARRAY_LEN(leaves); i++) {
        unsigned char bytes[16];
        size_t len = 0;
        assert_int_equal(sodium_hex2bin(bytes, sizeof bytes, leaves[i], strlen(leaves[i]), NULL,
                                        &len, NULL), 0);
        merkle_hash lh, root;
        merkle_leaf_hash(bytes, len, lh);
        assert_int_equal(merkle_edge_push(&e, lh, NULL, NULL, NULL), EV_OK);
        merkle_edge_root(&e, root);
        hex(roots[i], want);
        assert_memory_equal(root, want, MERKLE_HASH_BYTES);
    }
}

static void test_every_inclusion_proof_verifies(void **state)
{
    (void)state;
    store *s = grow(MAX_LEAVES);
    merkle_hash proof[MERKLE_MAX_PROOF], root, wrong;
    size_t count;
    for (uint64_t size = 1; size <= MAX_LEAVES; size++) {
        mth(s, 0, size, root);
        for (uint64_t i = 0; i < size; i++) {
            assert_int_equal(merkle_prove_inclusion(get, s, i, size, proof, &count, NULL), EV_OK);
            assert_true(merkle_verify_inclusion(i, size, s->leaf[i], proof, count, root));
            /* Another leaf, another index, a changed or missing hash: no. (The size is
             * bound to the root by the checkpoint's signature, not by the path.) */
            assert_false(merkle_verify_inclusion(i, size, s->leaf[(i + 1) % MAX_LEAVES], proof,
                                                 count, root));
            if (size > 1)
                assert_false(merkle_verify_inclusion((i + 1) % size, size, s->leaf[i], proof,
                                                     count, root));
            if (count > 0) {
                memcpy(wrong, proof[count - 1], sizeof wrong);
                proof[count - 1][0] ^= 1;
                assert_false(merkle_verify_inclusion(i, size, s->leaf[i], proof, count, root));
                memcpy(proof[count - 1], wrong, sizeof wrong);
                assert_false(merkle_verify_inclusion(i, size, s->leaf[i], proof, count - 1, root));
            }
        }
    }
    assert_int_equal(merkle_prove_inclusion(get, s, 5, 5, proof, &count, NULL), EV_EINVAL);
    assert_false(merkle_verify_inclusion(5, 5, s->leaf[0], proof, 0, root));
    free(s);
}

static void test_every_consistency_proof_verifies(void **state)
{
    (void)state;
    store *s = grow(MAX_LEAVES);
    merkle_hash proof[MERKLE_MAX_PROOF], old_root, new_root, other;
    size_t count;
    for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
        mth(s, 0, n, new_root);
        for (uint64_t m = 0; m <= n; m++) {
            mth(s, 0, m, old_root);
            assert_int_equal(merkle_prove_consistency(get, s, m, n, proof, &count, NULL), EV_OK);
            assert_true(merkle_verify_consistency(m, n, old_root, new_root, proof, count));
            if (m == 0 || m == n)
                continue;
            /* A root of another tree, either side, or a changed hash: no. */
            mth(s, 1, m + 1 <= n ? m + 1 : n, other);
            assert_false(merkle_verify_consistency(m, n, other, new_root, proof, count));
            assert_false(merkle_verify_consistency(m, n, old_root, other, proof, count));
            for (size_t i = 0; i < count; i++) {
                proof[i][31] ^= 0x80;
                assert_false(merkle_verify_consistency(m, n, old_root, new_root, proof, count));
                proof[i][31] ^= 0x80;
            }
            assert_false(merkle_verify_consistency(m, n, old_root, new_root, proof, count - 1));
        }
    }
    assert_int_equal(merkle_prove_consistency(get, s, 6, 5, proof, &count, NULL), EV_EINVAL);
    free(s);
}

/* A proof past what the store holds fails with the store's error. */
static void test_missing_node_is_an_error(void **state)
{
    (void)state;
    store *s = grow(8);
    merkle_hash proof[MERKLE_MAX_PROOF], root;
    size_t count;
    ev_error err = {0};
    assert_int_equal(merkle_root(get, s, 9, root, &err), EV_ENOTFOUND);
    assert_int_equal(merkle_prove_inclusion(get, s, 0, 12, proof, &count, &err), EV_ENOTFOUND);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roots_match_the_definition),
        cmocka_unit_test(test_rfc6962_vectors),
        cmocka_unit_test(test_every_inclusion_proof_verifies),
        cmocka_unit_test(test_every_consistency_proof_verifies),
        cmocka_unit_test(test_missing_node_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
