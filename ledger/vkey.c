/* vkey.c: signed-note key names, key ids and verifier keys. */
#include "vkey.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "statefile.h"

#define NAME_PREFIX "evidenced/"
#define NAME_HEX 16

void vkey_key_id(const char *name, const unsigned char pk[VKEY_PK_BYTES],
                 unsigned char id[VKEY_ID_BYTES])
{
    static const unsigned char sep_type[2] = {'\n', VKEY_TYPE_ED25519};
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
    crypto_hash_sha256_update(&st, sep_type, sizeof sep_type);
    crypto_hash_sha256_update(&st, pk, VKEY_PK_BYTES);
    crypto_hash_sha256_final(&st, h);
    memcpy(id, h, VKEY_ID_BYTES);
}

void vkey_from_public(const unsigned char pk[VKEY_PK_BYTES], vkey *out)
{
    char hex[2 * VKEY_PK_BYTES + 1];
    memset(out, 0, sizeof *out);
    sodium_bin2hex(hex, sizeof hex, pk, VKEY_PK_BYTES);
    snprintf(out->name, sizeof out->name, "%s%.*s", NAME_PREFIX, NAME_HEX, hex);
    memcpy(out->pk, pk, VKEY_PK_BYTES);
    vkey_key_id(out->name, pk, out->id);
}

void vkey_format(const vkey *k, char out[VKEY_TEXT_MAX])
{
    unsigned char typed[1 + VKEY_PK_BYTES];
    char id_hex[2 * VKEY_ID_BYTES + 1];
    char b64[sodium_base64_ENCODED_LEN(sizeof typed, sodium_base64_VARIANT_ORIGINAL)];
    typed[0] = VKEY_TYPE_ED25519;
    memcpy(typed + 1, k->pk, VKEY_PK_BYTES);
    sodium_bin2hex(id_hex, sizeof id_hex, k->id, VKEY_ID_BYTES);
    sodium_bin2base64(b64, sizeof b64, typed, sizeof typed, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, VKEY_TEXT_MAX, "%s+%s+%s", k->name, id_hex, b64);
}

bool vkey_name_valid(const char *name, size_t len)
{
    if (len == 0 || len >= VKEY_NAME_MAX || !ev_utf8_valid(name, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= ' ' || c == '+' || c == 0x7f)
            return false;
    }
    /* Unicode spaces beyond ASCII: U+0085, U+00A0, U+1680, U+2000-U+200A,
     * U+2028/9, U+202F, U+205F, U+3000. */
    static const char *const spaces[] = {"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\xa8",
                                         "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f",
                                         "\xe3\x80\x80"};
    for (size_t i = 0; i < EV_ARRAY_LEN(spaces); i++)
        if (memmem(name, len, spaces[i], strlen(spaces[i])))
            return false;
    for (size_t i = 0; i + 2 < len; i++)
        if ((unsigned char)name[i] == 0xe2 && (unsigned char)name[i + 1] == 0x80 &&
            (unsigned char)name[i + 2] >= 0x80 && (unsigned char)name[i + 2] <= 0x8a)
            return false;
    return true;
}

ev_code vkey_parse(const char *text, vkey *out, ev_error *err)
{
    unsigned char typed[1 + VKEY_PK_BYTES + 1], id[VKEY_ID_BYTES];
    size_t typed_len = 0;
    const char *end = NULL;
    memset(out, 0, sizeof *out);
    text += strspn(text, " \t\r\n");
    size_t len = strlen(text);
    while (len > 0 && strchr(" \t\r\n", text[len - 1]))
        len--;
    const char *plus1 = memchr(text, '+', len);
    if (!plus1 || !vkey_name_valid(text, (size_t)(plus1 - text)))
        return ev_fail(err, EV_EINVAL, "vkey: not NAME+KEYID+KEY with a valid name");
    const char *id_hex = plus1 + 1;
    const char *plus2 = memchr(id_hex, '+', len - (size_t)(id_hex - text));
    if (!plus2 || plus2 - id_hex != 2 * VKEY_ID_BYTES ||
        sodium_hex2bin(id, sizeof id, id_hex, 2 * VKEY_ID_BYTES, NULL, &typed_len, NULL) != 0 ||
        typed_len != VKEY_ID_BYTES)
        return ev_fail(err, EV_EINVAL, "vkey: the key id is not 8 hex digits");
    const char *b64 = plus2 + 1;
    size_t b64_len = len - (size_t)(b64 - text);
    if (sodium_base642bin(typed, sizeof typed, b64, b64_len, NULL, &typed_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + b64_len)
        return ev_fail(err, EV_EINVAL, "vkey: the key is not base64");
    if (typed_len != 1 + VKEY_PK_BYTES || typed[0] != VKEY_TYPE_ED25519)
        return ev_fail(err, EV_EINVAL, "vkey: not an Ed25519 key (type 0x01 and 32 bytes)");
    memcpy(out->name, text, (size_t)(plus1 - text));
    memcpy(out->pk, typed + 1, VKEY_PK_BYTES);
    vkey_key_id(out->name, out->pk, out->id);
    if (memcmp(out->id, id, VKEY_ID_BYTES) != 0)
        return ev_fail(err, EV_EINVAL, "vkey: the key id does not match the name and key");
    return EV_OK;
}

ev_code vkey_load(const char *path, vkey *out, ev_error *err)
{
    char *text = NULL;
    size_t len = 0;
    ev_code rc = statefile_read(path, VKEY_TEXT_MAX, &text, &len, err);
    if (rc == EV_OK && strlen(text) != len)
        rc = ev_fail(err, EV_EINVAL, "%s: not a vkey (a NUL byte)", path);
    ev_error why = {0};
    if (rc == EV_OK && vkey_parse(text, out, &why) != EV_OK)
        rc = ev_fail(err, EV_EINVAL, "%s: %s", path, why.message);
    free(text);
    return rc;
}
