/* proof.c: proofs of the ledger's Merkle tree as JSON, and their checks. */
#include "proof.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static json_t *b64_json(const void *p, size_t n)
{
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = ev_malloc(len);
    sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
    json_t *j = json_string(s);
    free(s);
    return j;
}

static json_t *hashes_json(const merkle_hash *h, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, b64_json(h[i], MERKLE_HASH_BYTES));
    return a;
}

json_t *proof_inclusion(ledger *l, int64_t seq, uint64_t size, ev_error *err)
{
    merkle_hash hashes[MERKLE_MAX_PROOF];
    size_t n = 0;
    char *leaf = NULL;
    json_t *out = NULL;
    if (ledger_prove_inclusion(l, seq, size, hashes, &n, err) == EV_OK &&
        ledger_leaf(l, seq, &leaf, err) == EV_OK)
        out = json_pack("{s:I, s:I, s:o, s:o}", "leaf_index", (json_int_t)(seq - 1),
                        "tree_size", (json_int_t)size, "leaf", b64_json(leaf, strlen(leaf)),
                        "hashes", hashes_json(hashes, n));
    free(leaf);
    return out;
}

json_t *proof_consistency(ledger *l, uint64_t old_size, uint64_t new_size, ev_error *err)
{
    merkle_hash hashes[MERKLE_MAX_PROOF];
    size_t n = 0;
    if (ledger_prove_consistency(l, old_size, new_size, hashes, &n, err) != EV_OK)
        return NULL;
    return json_pack("{s:I, s:I, s:o}", "old_size", (json_int_t)old_size, "new_size",
                     (json_int_t)new_size, "hashes", hashes_json(hashes, n));
}

proof_kind proof_kind_of(const json_t *proof)
{
    if (json_object_get(proof, "leaf_index"))
        return PROOF_INCLUSION;
    if (json_object_get(proof, "old_size"))
        return PROOF_CONSISTENCY;
    return PROOF_UNKNOWN;
}

/* Exactly these members, and no others. */
static ev_code members(const json_t *proof, const char *const *names, size_t n, ev_error *err)
{
    if (!json_is_object(proof))
        return ev_fail(err, EV_EINVAL, "proof: not a JSON object");
    for (size_t i = 0; i < n; i++)
        if (!json_object_get(proof, names[i]))
            return ev_fail(err, EV_EINVAL, "proof: \"%s\" is missing", names[i]);
    if (json_object_size(proof) != n)
        return ev_fail(err, EV_EINVAL, "proof: members other than the %zu expected", n);
    return EV_OK;
}

static ev_code size_member(const json_t *proof, const char *name, uint64_t *out, ev_error *err)
{
    const json_t *v = json_object_get(proof, name);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return ev_fail(err, EV_EINVAL, "proof: \"%s\" is not a non-negative integer", name);
    *out = (uint64_t)json_integer_value(v);
    return EV_OK;
}

static ev_code hashes_member(const json_t *proof, merkle_hash *out, size_t *n, ev_error *err)
{
    const json_t *a = json_object_get(proof, "hashes"), *v;
    size_t i;
    if (!json_is_array(a))
        return ev_fail(err, EV_EINVAL, "proof: \"hashes\" is not an array");
    if (json_array_size(a) > MERKLE_MAX_PROOF)
        return ev_fail(err, EV_EINVAL, "proof: more than %d hashes", MERKLE_MAX_PROOF);
    json_array_foreach(a, i, v) {
        const char *s = json_string_value(v);
        if (!s || !checkpoint_hash_decode(s, strlen(s), out[i]))
            return ev_fail(err, EV_EINVAL, "proof: hash %zu is not base64 of 32 bytes", i);
    }
    *n = json_array_size(a);
    return EV_OK;
}

/* The leaf's bytes, decoded and bounded; the caller frees *out. */
static ev_code leaf_member(const json_t *proof, char **out, size_t *len, ev_error *err)
{
    const char *s = json_string_value(json_object_get(proof, "leaf"));
    size_t n = s ? strlen(s) : 0, got = 0;
    const char *end = NULL;
    if (!s || n > sodium_base64_ENCODED_LEN(PROOF_LEAF_MAX, sodium_base64_VARIANT_ORIGINAL))
        return ev_fail(err, EV_EINVAL, "proof: \"leaf\" is not a string of at most %u bytes "
                       "in base64", PROOF_LEAF_MAX);
    char *buf = ev_malloc(n / 4 * 3 + 4);
    if (sodium_base642bin((unsigned char *)buf, n / 4 * 3 + 3, s, n, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || end != s + n) {
        free(buf);
        return ev_fail(err, EV_EINVAL, "proof: \"leaf\" is not base64");
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return EV_OK;
}

ev_code proof_check_inclusion(const json_t *proof, const checkpoint *c, char **leaf,
                              int64_t *seq, ev_error *err)
{
    static const char *const names[] = {"leaf_index", "tree_size", "leaf", "hashes"};
    merkle_hash hashes[MERKLE_MAX_PROOF], leaf_hash;
    uint64_t index = 0, size = 0;
    size_t n = 0, len = 0;
    char *bytes = NULL;
    ev_code rc = members(proof, names, EV_ARRAY_LEN(names), err);
    if (rc == EV_OK)
        rc = size_member(proof, "leaf_index", &index, err);
    if (rc == EV_OK)
        rc = size_member(proof, "tree_size", &size, err);
    if (rc == EV_OK && size != c->head.size)
        rc = ev_fail(err, EV_EINVAL, "proof: for a tree of %llu events, the checkpoint is of %llu",
                     (unsigned long long)size, (unsigned long long)c->head.size);
    if (rc == EV_OK && index >= size)
        rc = ev_fail(err, EV_EINVAL, "proof: leaf %llu is not in a tree of %llu",
                     (unsigned long long)index, (unsigned long long)size);
    if (rc == EV_OK)
        rc = hashes_member(proof, hashes, &n, err);
    if (rc == EV_OK)
        rc = leaf_member(proof, &bytes, &len, err);
    if (rc == EV_OK) {
        merkle_leaf_hash(bytes, len, leaf_hash);
        if (!merkle_verify_inclusion(index, size, leaf_hash, hashes, n, c->head.root))
            rc = ev_fail(err, EV_EINVAL, "proof: the leaf and hashes do not lead to the "
                         "checkpoint's root: not included");
    }
    if (rc == EV_OK && seq)
        *seq = (int64_t)index + 1;
    if (rc == EV_OK && leaf) {
        *leaf = bytes;
        bytes = NULL;
    }
    free(bytes);
    return rc;
}

ev_code proof_check_consistency(const json_t *proof, const checkpoint *older,
                                const checkpoint *newer, ev_error *err)
{
    static const char *const names[] = {"old_size", "new_size", "hashes"};
    merkle_hash hashes[MERKLE_MAX_PROOF];
    uint64_t old_size = 0, new_size = 0;
    size_t n = 0;
    ev_code rc = members(proof, names, EV_ARRAY_LEN(names), err);
    if (rc == EV_OK)
        rc = size_member(proof, "old_size", &old_size, err);
    if (rc == EV_OK)
        rc = size_member(proof, "new_size", &new_size, err);
    if (rc == EV_OK && (old_size != older->head.size || new_size != newer->head.size))
        rc = ev_fail(err, EV_EINVAL, "proof: from %llu to %llu events, the checkpoints are of "
                     "%llu and %llu", (unsigned long long)old_size, (unsigned long long)new_size,
                     (unsigned long long)older->head.size, (unsigned long long)newer->head.size);
    if (rc == EV_OK)
        rc = hashes_member(proof, hashes, &n, err);
    if (rc == EV_OK && !merkle_verify_consistency(old_size, new_size, older->head.root,
                                                  newer->head.root, hashes, n))
        rc = ev_fail(err, EV_EINVAL, "proof: the older checkpoint's tree is not a prefix of "
                     "the newer's");
    return rc;
}
