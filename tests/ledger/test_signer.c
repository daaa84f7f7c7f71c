/* test_signer.c: the ledger key on disk, its permissions, sign and verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "signer.h"

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = ev_calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/ev-signer-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static void remove_file(const fixture *f, const char *name)
{
    char *p = ev_asprintf("%s/%s", f->dir, name);
    unlink(p);
    free(p);
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_file(f, SIGNER_KEY_FILE);
    remove_file(f, SIGNER_PUB_FILE);
    remove_file(f, SIGNER_VKEY_FILE);
    remove_file(f, "other.pub");
    int rc = rmdir(f->dir);
    free(f);
    return rc;
}

static mode_t file_mode(const fixture *f, const char *name)
{
    char *p = ev_asprintf("%s/%s", f->dir, name);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    free(p);
    return st.st_mode & 07777;
}

static void test_creates_key_and_public_export(void **state)
{
    fixture *f = *state;
    signer *s = NULL;
    ev_error err = {0};
    assert_int_equal(signer_open(f->dir, &s, &err), EV_OK);
    assert_true(signer_can_sign(s));
    assert_int_equal(file_mode(f, SIGNER_KEY_FILE), 0600);
    assert_int_equal(file_mode(f, SIGNER_PUB_FILE), 0644);
    assert_int_equal(file_mode(f, SIGNER_VKEY_FILE), 0644);

    char *pub_path = ev_asprintf("%s/%s", f->dir, SIGNER_PUB_FILE);
    FILE *pf = fopen(pub_path, "r");
    assert_non_null(pf);
    char line[128] = {0};
    assert_non_null(fgets(line, sizeof line, pf));
    fclose(pf);
    char hex[SIGNER_PK_HEX_LEN + 1];
    signer_public_hex(s, hex);
    assert_int_equal(strlen(line), SIGNER_PK_HEX_LEN + 1);
    assert_memory_equal(line, hex, SIGNER_PK_HEX_LEN);
    assert_int_equal(line[SIGNER_PK_HEX_LEN], '\n');

    /* ledger.vkey is the same key, as a signed-note verifier key. */
    char *vkey_path = ev_asprintf("%s/%s", f->dir, SIGNER_VKEY_FILE);
    vkey from_file, mine;
    assert_int_equal(vkey_load(vkey_path, &from_file, &err), EV_OK);
    signer_vkey(s, &mine);
    assert_memory_equal(&from_file, &mine, sizeof mine);
    assert_memory_equal(from_file.name, "evidenced/", 10);
    assert_memory_equal(from_file.name + 10, hex, 16);
    free(vkey_path);

    /* No temporary file is left behind. */
    char *tmp = ev_asprintf("%s/%s.tmp", f->dir, SIGNER_KEY_FILE);
    assert_int_equal(access(tmp, F_OK), -1);
    free(tmp);
    free(pub_path);
    signer_close(s);
}

static void test_reopen_keeps_the_same_key(void **state)
{
    fixture *f = *state;
    signer *a = NULL, *b = NULL;
    assert_int_equal(signer_open(f->dir, &a, NULL), EV_OK);
    /* A deleted export is written again from the secret key. */
    remove_file(f, SIGNER_PUB_FILE);
    assert_int_equal(signer_open(f->dir, &b, NULL), EV_OK);
    char ha[SIGNER_PK_HEX_LEN + 1], hb[SIGNER_PK_HEX_LEN + 1];
    signer_public_hex(a, ha);
    signer_public_hex(b, hb);
    assert_string_equal(ha, hb);
    assert_int_equal(file_mode(f, SIGNER_PUB_FILE), 0644);
    signer_close(a);
    signer_close(b);
}

static void test_sign_and_verify(void **state)
{
    fixture *f = *state;
    signer *s = NULL, *pub = NULL;
    ev_error err = {0};
    assert_int_equal(signer_open(f->dir, &s, &err), EV_OK);
    char *pub_path = ev_asprintf("%s/%s", f->dir, SIGNER_PUB_FILE);
    assert_int_equal(signer_load_public(pub_path, &pub, &err), EV_OK);
    assert_false(signer_can_sign(pub));

    unsigned char hash[SIGNER_HASH_BYTES], sig[SIGNER_SIG_BYTES];
    for (size_t i = 0; i < sizeof hash; i++)
        hash[i] = (unsigned char)(i * 7);
    assert_int_equal(signer_sign(s, hash, sig, &err), EV_OK);
    assert_true(signer_verify(s, hash, sig));
    assert_true(signer_verify(pub, hash, sig));

    /* One flipped bit in the hash or in the signature fails. */
    hash[5] ^= 1;
    assert_false(signer_verify(pub, hash, sig));
    hash[5] ^= 1;
    sig[40] ^= 0x80;
    assert_false(signer_verify(pub, hash, sig));
    sig[40] ^= 0x80;

    /* The public half cannot sign. */
    assert_int_equal(signer_sign(pub, hash, sig, &err), EV_EINVAL);
    free(pub_path);
    signer_close(pub);
    signer_close(s);
}

static void test_other_key_does_not_verify(void **state)
{
    fixture *f = *state;
    signer *s = NULL, *other = NULL;
    assert_int_equal(signer_open(f->dir, &s, NULL), EV_OK);
    char *path = ev_asprintf("%s/other.pub", f->dir);
    FILE *pf = fopen(path, "w");
    assert_non_null(pf);
    /* A well-formed key that is not ours, with stray white space around. */
    unsigned char seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char hex[SIGNER_PK_HEX_LEN + 1];
    memset(seed, 0x11, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
    fprintf(pf, "  %s\r\n", hex);
    fclose(pf);
    assert_int_equal(signer_load_public(path, &other, NULL), EV_OK);

    unsigned char hash[SIGNER_HASH_BYTES] = {1, 2, 3}, sig[SIGNER_SIG_BYTES];
    assert_int_equal(signer_sign(s, hash, sig, NULL), EV_OK);
    assert_false(signer_verify(other, hash, sig));
    free(path);
    signer_close(other);
    signer_close(s);
}

static void test_bad_public_files_rejected(void **state)
{
    fixture *f = *state;
    signer *s = NULL;
    ev_error err = {0};
    char *path = ev_asprintf("%s/other.pub", f->dir);
    const char *bad[] = {"", "abcd\n", "zz4ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737\n",
                         "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c977873700\n",
                         "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737 junk\n",
                         "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737"
                         "                                                                  \n"
                         "                                                               x\n"};
    for (size_t i = 0; i < EV_ARRAY_LEN(bad); i++) {
        FILE *pf = fopen(path, "w");
        assert_non_null(pf);
        fputs(bad[i], pf);
        fclose(pf);
        ev_error_clear(&err);
        assert_int_equal(signer_load_public(path, &s, &err), EV_EINVAL);
        assert_null(s);
    }
    remove_file(f, "other.pub");
    ev_error_clear(&err);
    assert_int_equal(signer_load_public(path, &s, &err), EV_EIO);
    free(path);
}

static void test_key_readable_by_others_is_refused(void **state)
{
    fixture *f = *state;
    signer *s = NULL;
    ev_error err = {0};
    assert_int_equal(signer_open(f->dir, &s, NULL), EV_OK);
    signer_close(s);
    s = NULL;

    char *key = ev_asprintf("%s/%s", f->dir, SIGNER_KEY_FILE);
    assert_int_equal(chmod(key, 0644), 0);
    assert_int_equal(signer_open(f->dir, &s, &err), EV_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.message, "0644"));

    assert_int_equal(chmod(key, 0640), 0);
    ev_error_clear(&err);
    assert_int_equal(signer_open(f->dir, &s, &err), EV_EINVAL);

    assert_int_equal(chmod(key, 0600), 0);
    ev_error_clear(&err);
    assert_int_equal(signer_open(f->dir, &s, &err), EV_OK);
    signer_close(s);
    free(key);
}

static void test_short_or_linked_key_is_refused(void **state)
{
    fixture *f = *state;
    signer *s = NULL;
    ev_error err = {0};
    char *key = ev_asprintf("%s/%s", f->dir, SIGNER_KEY_FILE);

    int fd = open(key, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "short", 5), 5);
    close(fd);
    assert_int_equal(signer_open(f->dir, &s, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "5 bytes"));
    assert_int_equal(unlink(key), 0);

    assert_int_equal(symlink("/etc/hostname", key), 0);
    ev_error_clear(&err);
    assert_int_equal(signer_open(f->dir, &s, &err), EV_EINVAL);
    assert_non_null(strstr(err.message, "symbolic link"));
    assert_null(s);
    free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_creates_key_and_public_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_the_same_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_key_does_not_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_public_files_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_readable_by_others_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_or_linked_key_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
