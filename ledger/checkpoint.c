/* checkpoint.c: tlog-checkpoint bodies in signed notes, written and read. */
#include "checkpoint.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "statefile.h"

/* "— ": U+2014 EM DASH and a space start every signature line. */
#define SIG_PREFIX "\xe2\x80\x94 "
#define SIG_PREFIX_LEN 4
#define MAX_SIG_LINES 100
#define SIG_BYTES (VKEY_ID_BYTES + SIGNER_SIG_BYTES)

void checkpoint_root_base64(const merkle_hash root, char out[CHECKPOINT_B64_LEN])
{
    sodium_bin2base64(out, CHECKPOINT_B64_LEN, root, MERKLE_HASH_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
}

bool checkpoint_hash_decode(const char *b64, size_t len, merkle_hash out)
{
    size_t n = 0;
    const char *end = NULL;
    return len == CHECKPOINT_B64_LEN - 1 &&
           sodium_base642bin(out, MERKLE_HASH_BYTES, b64, len, NULL, &n, &end,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           n == MERKLE_HASH_BYTES && end == b64 + len;
}

ev_code checkpoint_sign(const signer *s, const ledger_tree_head *head, char **note,
                        ev_error *err)
{
    vkey k;
    char root[CHECKPOINT_B64_LEN];
    unsigned char sig[SIG_BYTES];
    char sig_b64[sodium_base64_ENCODED_LEN(SIG_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    *note = NULL;
    signer_vkey(s, &k);
    checkpoint_root_base64(head->root, root);
    char *body = ev_asprintf("%s\n%" PRIu64 "\n%s\n", k.name, head->size, root);
    memcpy(sig, k.id, VKEY_ID_BYTES);
    ev_code rc = signer_sign_message(s, body, strlen(body), sig + VKEY_ID_BYTES, err);
    if (rc == EV_OK) {
        sodium_bin2base64(sig_b64, sizeof sig_b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
        *note = ev_asprintf("%s\n" SIG_PREFIX "%s %s\n", body, k.name, sig_b64);
    }
    free(body);
    return rc;
}

/* The next line of [*p, end): its start and length without the newline;
 * false when no newline ends it. */
static bool next_line(const char **p, const char *end, const char **line, size_t *len)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (!nl)
        return false;
    *line = *p;
    *len = (size_t)(nl - *p);
    *p = nl + 1;
    return true;
}

/* A tree size: decimal digits, no sign, no leading zero, below 2^63. */
static bool parse_size(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > INT64_MAX)
        return false;
    *out = v;
    return true;
}

/* The three lines of the body (text, text_len, the last newline included). */
static ev_code parse_body(const char *text, size_t text_len, const vkey *k, checkpoint *out,
                          ev_error *err)
{
    const char *p = text, *end = text + text_len, *line;
    size_t len;
    if (!next_line(&p, end, &line, &len) || !vkey_name_valid(line, len))
        return ev_fail(err, EV_EINVAL, "checkpoint: the origin line is missing or not a name");
    memcpy(out->origin, line, len);
    out->origin[len] = '\0';
    if (strcmp(out->origin, k->name) != 0)
        return ev_fail(err, EV_EINVAL, "checkpoint: of origin %s, but the key is %s's",
                       out->origin, k->name);
    if (!next_line(&p, end, &line, &len) || !parse_size(line, len, &out->head.size))
        return ev_fail(err, EV_EINVAL, "checkpoint: the tree size is not a decimal number");
    if (!next_line(&p, end, &line, &len) || !checkpoint_hash_decode(line, len, out->head.root))
        return ev_fail(err, EV_EINVAL, "checkpoint: the root hash is not base64 of 32 bytes");
    return EV_OK;
}

/*
 * Look through the signature lines for k's. Returns EV_OK when it is there
 * and verifies the text; a line of k's that does not verify rejects the note.
 */
static ev_code check_signatures(const char *text, size_t text_len, const char *sigs,
                                const char *end, const vkey *k, ev_error *err)
{
    const char *p = sigs, *line;
    size_t len;
    int lines = 0;
    bool found = false;
    if (p == end)
        return ev_fail(err, EV_EINVAL, "checkpoint: no signature line");
    while (p < end) {
        if (!next_line(&p, end, &line, &len))
            return ev_fail(err, EV_EINVAL, "checkpoint: the last signature line is cut short");
        if (++lines > MAX_SIG_LINES)
            return ev_fail(err, EV_EINVAL, "checkpoint: more than %d signature lines",
                           MAX_SIG_LINES);
        const char *space = len > SIG_PREFIX_LEN ? memchr(line + SIG_PREFIX_LEN, ' ',
                                                          len - SIG_PREFIX_LEN)
                                                 : NULL;
        if (!space || memcmp(line, SIG_PREFIX, SIG_PREFIX_LEN) != 0 ||
            !vkey_name_valid(line + SIG_PREFIX_LEN, (size_t)(space - line) - SIG_PREFIX_LEN))
            return ev_fail(err, EV_EINVAL, "checkpoint: signature line %d is not "
                           "\"\xe2\x80\x94 NAME SIGNATURE\"", lines);
        size_t name_len = (size_t)(space - line) - SIG_PREFIX_LEN;
        const char *b64 = space + 1;
        size_t b64_len = len - (size_t)(b64 - line), n = 0;
        const char *b64_end = NULL;
        unsigned char sig[SIG_BYTES + 1];
        if (b64_len > sodium_base64_ENCODED_LEN(sizeof sig, sodium_base64_VARIANT_ORIGINAL) ||
            sodium_base642bin(sig, sizeof sig, b64, b64_len, NULL, &n, &b64_end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            b64_end != b64 + b64_len || n < VKEY_ID_BYTES + 1)
            return ev_fail(err, EV_EINVAL, "checkpoint: signature line %d is not base64", lines);
        if (found || name_len != strlen(k->name) ||
            memcmp(line + SIG_PREFIX_LEN, k->name, name_len) != 0 ||
            memcmp(sig, k->id, VKEY_ID_BYTES) != 0)
            continue;
        if (n != SIG_BYTES ||
            crypto_sign_verify_detached(sig + VKEY_ID_BYTES, (const unsigned char *)text,
                                        text_len, k->pk) != 0)
            return ev_fail(err, EV_EINVAL, "checkpoint: the signature of %s does not verify",
                           k->name);
        found = true;
    }
    if (!found)
        return ev_fail(err, EV_EINVAL, "checkpoint: not signed by %s (key id %02x%02x%02x%02x)",
                       k->name, k->id[0], k->id[1], k->id[2], k->id[3]);
    return EV_OK;
}

ev_code checkpoint_open(const char *note, size_t len, const vkey *k, checkpoint *out,
                        ev_error *err)
{
    assert(note && k && out);
    memset(out, 0, sizeof *out);
    if (len > CHECKPOINT_NOTE_MAX)
        return ev_fail(err, EV_EINVAL, "checkpoint: longer than %d bytes", CHECKPOINT_NOTE_MAX);
    if (memchr(note, '\0', len) || !ev_utf8_valid(note, len))
        return ev_fail(err, EV_EINVAL, "checkpoint: not UTF-8 text");
    /* The body ends at the last empty line; the signatures follow it. */
    const char *split = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (note[i] == '\n' && note[i + 1] == '\n')
            split = note + i;
    if (!split)
        return ev_fail(err, EV_EINVAL, "checkpoint: no empty line before the signatures "
                       "(truncated?)");
    size_t text_len = (size_t)(split - note) + 1;
    ev_code rc = check_signatures(note, text_len, split + 2, note + len, k, err);
    if (rc == EV_OK)
        rc = parse_body(note, text_len, k, out, err);
    return rc;
}

ev_code checkpoint_load(const char *path, const vkey *k, checkpoint *out, char **note,
                        ev_error *err)
{
    char *text = NULL;
    size_t len = 0;
    ev_error why = {0};
    if (note)
        *note = NULL;
    ev_code rc = statefile_read(path, CHECKPOINT_NOTE_MAX, &text, &len, &why);
    if (rc == EV_OK)
        rc = checkpoint_open(text, len, k, out, &why);
    if (rc != EV_OK) {
        if (rc != EV_ENOTFOUND && rc != EV_EIO)
            rc = EV_EINVAL;
        ev_fail(err, rc, "%s: %s", path, why.message);
    } else if (note) {
        *note = text;
        text = NULL;
    }
    free(text);
    return rc;
}

ev_code checkpoint_extended_by(ledger *l, const ledger_tree_head *head, bool *extends,
                               ev_error *err)
{
    int64_t seq = 0;
    merkle_hash root;
    *extends = false;
    ev_code rc = ledger_size(l, &seq, err);
    if (rc != EV_OK || head->size > (uint64_t)seq)
        return rc;
    ev_error why = {0};
    rc = ledger_tree_root(l, head->size, root, &why);
    if (rc == EV_ENOTFOUND)
        return EV_OK;
    if (rc != EV_OK)
        return ev_fail(err, rc, "%s", why.message);
    *extends = sodium_memcmp(root, head->root, MERKLE_HASH_BYTES) == 0;
    return EV_OK;
}

void checkpoint_describe(const ledger_tree_head *head, char out[CHECKPOINT_DESCRIPTION_MAX])
{
    char b64[CHECKPOINT_B64_LEN];
    checkpoint_root_base64(head->root, b64);
    snprintf(out, CHECKPOINT_DESCRIPTION_MAX, "the checkpoint of %" PRIu64 " events (root %s)",
             head->size, b64);
}
