/* test_checkpoint.c: verifier keys and signed checkpoints, written, read,
 * and refused when malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "checkpoint.h"
#include "statefile.h"

typedef struct fixture {
    char dir[64];
    signer *s;
    vkey k;
    ledger_tree_head head;
} fixture;

static int setup(void **state)
{
    fixture *fx = ev_calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/ev-ckpt-XXXXXX");
    if (!mkdtemp(fx->dir) || signer_open(fx->dir, &fx->s, NULL) != EV_OK)
        return -1;
    signer_vkey(fx->s, &fx->k);
    fx->head.size = 1234;
    for (int i = 0; i < MERKLE_HASH_BYTES; i++)
        fx->head.root[i] = (unsigned char)(i * 7);
    *state = fx;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    signer_close(fx->s);
    int rc = nftw(fx->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return rc;
}

static ev_code open_text(fixture *fx, const char *note, checkpoint *c, ev_error *err)
{
    return checkpoint_open(note, strlen(note), &fx->k, c, err);
}

static void test_vkey_round_trip(void **state)
{
    fixture *fx = *state;
    char text[VKEY_TEXT_MAX], padded[VKEY_TEXT_MAX + 8];
    vkey back;
    vkey_format(&fx->k, text);
    /* name+8 hex+base64 of 33 bytes (44 characters) */
    assert_int_equal(strlen(text), strlen(fx->k.name) + 1 + 8 + 1 + 44);
    snprintf(padded, sizeof padded, "  %s\n", text);
    assert_int_equal(vkey_parse(padded, &back, NULL), EV_OK);
    assert_memory_equal(&back, &fx->k, sizeof back);

    /* The key id is SHA-256(name || 0x0A || 0x01 || key)[:4]. */
    unsigned char buf[VKEY_NAME_MAX + 2 + VKEY_PK_BYTES], h[32];
    size_t n = strlen(fx->k.name);
    memcpy(buf, fx->k.name, n);
    buf[n] = '\n';
    buf[n + 1] = 0x01;
    memcpy(buf + n + 2, fx->k.pk, VKEY_PK_BYTES);
    crypto_hash_sha256(h, buf, n + 2 + VKEY_PK_BYTES);
    assert_memory_equal(h, fx->k.id, VKEY_ID_BYTES);
}

static void test_bad_vkeys_are_refused(void **state)
{
    fixture *fx = *state;
    char text[VKEY_TEXT_MAX], bad[VKEY_TEXT_MAX + 8];
    vkey k;
    ev_error err = {0};
    vkey_format(&fx->k, text);
    char *plus = strchr(text, '+');
    const char *cases[] = {"", "name", "name+", "name+0011+", "a b+00112233+AQ==",
                           "+00112233+AQ=="};
    for (size_t i = 0; i < EV_ARRAY_LEN(cases); i++)
        assert_int_equal(vkey_parse(cases[i], &k, &err), EV_EINVAL);
    /* Wrong id, cut key, bad base64, another type. */
    snprintf(bad, sizeof bad, "%s", text);
    bad[plus - text + 1] = bad[plus - text + 1] == '0' ? '1' : '0';
    assert_int_equal(vkey_parse(bad, &k, NULL), EV_EINVAL);
    snprintf(bad, sizeof bad, "%.*s", (int)strlen(text) - 4, text);
    assert_int_equal(vkey_parse(bad, &k, NULL), EV_EINVAL);
    snprintf(bad, sizeof bad, "%s", text);
    bad[strlen(bad) - 3] = '*';
    assert_int_equal(vkey_parse(bad, &k, NULL), EV_EINVAL);
    snprintf(bad, sizeof bad, "%.*sAg%s", (int)(strrchr(text, '+') - text + 1), text,
             strrchr(text, '+') + 3);
    assert_int_equal(vkey_parse(bad, &k, &err), EV_EINVAL);
}

static void test_sign_and_open(void **state)
{
    fixture *fx = *state;
    char *note = NULL, root[CHECKPOINT_B64_LEN];
    checkpoint c;
    assert_int_equal(checkpoint_sign(fx->s, &fx->head, &note, NULL), EV_OK);
    checkpoint_root_base64(fx->head.root, root);
    char *body = ev_asprintf("%s\n1234\n%s\n\n\xe2\x80\x94 %s ", fx->k.name, root, fx->k.name);
    assert_memory_equal(note, body, strlen(body));
    assert_int_equal(note[strlen(note) - 1], '\n');
    assert_int_equal(open_text(fx, note, &c, NULL), EV_OK);
    assert_int_equal(c.head.size, 1234);
    assert_memory_equal(c.head.root, fx->head.root, MERKLE_HASH_BYTES);
    assert_string_equal(c.origin, fx->k.name);

    /* A witness's line after ours, and an extension line, change nothing. */
    char *cosigned = ev_asprintf("%s\xe2\x80\x94 witness.example AAAAAAAAAAAAAAAA\n", note);
    assert_int_equal(open_text(fx, cosigned, &c, NULL), EV_OK);
    free(cosigned);
    free(body);
    free(note);
}

/* Every prefix of a note, every changed byte of its body: refused. */
static void test_truncated_or_changed_notes_are_refused(void **state)
{
    fixture *fx = *state;
    char *note = NULL;
    checkpoint c;
    assert_int_equal(checkpoint_sign(fx->s, &fx->head, &note, NULL), EV_OK);
    size_t len = strlen(note);
    for (size_t n = 0; n < len; n++) {
        ev_error err = {0};
        assert_int_equal(checkpoint_open(note, n, &fx->k, &c, &err), EV_EINVAL);
        assert_true(err.message[0] != '\0');
    }
    size_t body = (size_t)(strstr(note, "\n\n") - note);
    for (size_t i = 0; i < body; i++) {
        note[i] ^= 0x01;
        assert_int_equal(checkpoint_open(note, len, &fx->k, &c, NULL), EV_EINVAL);
        note[i] ^= 0x01;
    }
    free(note);
}

static void test_malformed_notes_are_refused(void **state)
{
    fixture *fx = *state;
    char *note = NULL, root[CHECKPOINT_B64_LEN];
    checkpoint c;
    ev_error err = {0};
    assert_int_equal(checkpoint_sign(fx->s, &fx->head, &note, NULL), EV_OK);
    checkpoint_root_base64(fx->head.root, root);
    const char *sig_line = strstr(note, "\n\n") + 2;

    /* Bodies that cannot be checkpoints, with our own valid signature lines
     * (so what is refused is the body, or the signature over it). */
    const char *sizes[] = {"-1", "01", "1.5", "99999999999999999999", "9223372036854775808", ""};
    for (size_t i = 0; i < EV_ARRAY_LEN(sizes); i++) {
        char *text = ev_asprintf("%s\n%s\n%s\n", fx->k.name, sizes[i], root);
        unsigned char sig[VKEY_ID_BYTES + 64];
        char b64[128];
        memcpy(sig, fx->k.id, VKEY_ID_BYTES);
        assert_int_equal(signer_sign_message(fx->s, text, strlen(text), sig + 4, NULL), EV_OK);
        sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
        char *signed_note = ev_asprintf("%s\n\xe2\x80\x94 %s %s\n", text, fx->k.name, b64);
        ev_error e = {0};
        assert_int_equal(open_text(fx, signed_note, &c, &e), EV_EINVAL);
        assert_non_null(strstr(e.message, "tree size"));
        free(signed_note);
        free(text);
    }
    /* Bad base64 in the signature; no signature line; a signature line
     * of another key only; a NUL inside. */
    char *bad = ev_asprintf("%.*s\xe2\x80\x94 %s !!!!\n", (int)(sig_line - note), note, fx->k.name);
    assert_int_equal(open_text(fx, bad, &c, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "base64"));
    free(bad);
    bad = ev_asprintf("%.*s", (int)(sig_line - note), note);
    assert_int_equal(open_text(fx, bad, &c, NULL), EV_EINVAL);
    free(bad);
    bad = ev_asprintf("%.*s\xe2\x80\x94 other.example AAAAAAAAAAAAAAAA\n", (int)(sig_line - note),
                      note);
    ev_error e2 = {0};
    assert_int_equal(open_text(fx, bad, &c, &e2), EV_EINVAL);
    assert_non_null(strstr(e2.message, "not signed by"));
    free(bad);
    assert_int_equal(checkpoint_open(note, strlen(note) + 1, &fx->k, &c, NULL), EV_EINVAL);

    /* Huge input is refused before it is read through. */
    size_t huge = CHECKPOINT_NOTE_MAX + 1;
    char *big = ev_malloc(huge + 1);
    memset(big, 'a', huge);
    big[huge] = '\0';
    assert_int_equal(checkpoint_open(big, huge, &fx->k, &c, NULL), EV_EINVAL);
    free(big);
    free(note);
}

/* A note verified with another ledger's key is refused. */
static void test_other_key_is_refused(void **state)
{
    fixture *fx = *state;
    char *note = NULL;
    checkpoint c;
    ev_error err = {0};
    vkey other = fx->k;
    other.pk[0] ^= 1;
    vkey_key_id(other.name, other.pk, other.id);
    assert_int_equal(checkpoint_sign(fx->s, &fx->head, &note, NULL), EV_OK);
    assert_int_equal(checkpoint_open(note, strlen(note), &other, &c, &err), EV_EINVAL);
    free(note);
}

static void test_load_from_file(void **state)
{
    fixture *fx = *state;
    char *note = NULL, *back = NULL;
    checkpoint c;
    ev_error err = {0};
    char *path = ev_asprintf("%s/%s", fx->dir, CHECKPOINT_FILE);
    assert_int_equal(checkpoint_load(path, &fx->k, &c, NULL, &err), EV_ENOTFOUND);
    assert_int_equal(checkpoint_sign(fx->s, &fx->head, &note, NULL), EV_OK);
    assert_int_equal(statefile_write(fx->dir, CHECKPOINT_FILE, note, strlen(note), 0644, NULL),
                     EV_OK);
    assert_int_equal(checkpoint_load(path, &fx->k, &c, &back, NULL), EV_OK);
    assert_string_equal(back, note);
    assert_int_equal(truncate(path, 20), 0);
    ev_error e = {0};
    assert_int_equal(checkpoint_load(path, &fx->k, &c, NULL, &e), EV_EINVAL);
    assert_non_null(strstr(e.message, path));
    free(back);
    free(note);
    free(path);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_vkey_round_trip),
        T(test_bad_vkeys_are_refused),
        T(test_sign_and_open),
        T(test_truncated_or_changed_notes_are_refused),
        T(test_malformed_notes_are_refused),
        T(test_other_key_is_refused),
        T(test_load_from_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
