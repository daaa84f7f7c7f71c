/* signer.c: the ledger's Ed25519 key on disk and in locked memory. */
#include "signer.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "statefile.h"

#define SEED_BYTES crypto_sign_SEEDBYTES

struct signer {
    unsigned char pk[SIGNER_PK_BYTES];
    unsigned char *sk; /* sodium_malloc()ed, read-only; NULL when verify-only */
};

_Static_assert(crypto_sign_PUBLICKEYBYTES == SIGNER_PK_BYTES, "Ed25519 public key size");
_Static_assert(crypto_sign_BYTES == SIGNER_SIG_BYTES, "Ed25519 signature size");
_Static_assert(crypto_hash_sha256_BYTES == SIGNER_HASH_BYTES, "SHA-256 size");

static ev_code sodium_ready(ev_error *err)
{
    if (sodium_init() < 0)
        return ev_fail(err, EV_EINTERNAL, "libsodium could not be initialised");
    return EV_OK;
}

static void *secure_alloc(size_t n)
{
    void *p = sodium_malloc(n);
    if (!p)
        ev_die("out of memory allocating %zu bytes of locked memory", n);
    return p;
}

/* Reads exactly n bytes and expects end of file after them. */
static ev_code read_exact(int fd, void *p, size_t n, const char *path, ev_error *err)
{
    unsigned char *b = p;
    size_t got = 0;
    for (;;) {
        unsigned char extra;
        ssize_t r = got < n ? read(fd, b + got, n - got) : read(fd, &extra, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return ev_fail(err, EV_EIO, "read %s: %s", path, strerror(errno));
        if (r == 0)
            break;
        if (got == n)
            return ev_fail(err, EV_EINVAL, "%s: longer than %zu bytes", path, n);
        got += (size_t)r;
    }
    if (got != n)
        return ev_fail(err, EV_EINVAL, "%s: %zu bytes, expected %zu", path, got, n);
    return EV_OK;
}

/* Derive the key pair from a seed into s; the seed stays the caller's. */
static void set_key(signer *s, const unsigned char *seed)
{
    s->sk = secure_alloc(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(s->pk, s->sk, seed);
    sodium_mprotect_readonly(s->sk);
}

/*
 * Load an existing key file. Returns EV_ENOTFOUND (and no message) when it
 * does not exist, so that the caller can create it.
 */
static ev_code load_key(const char *path, signer *s, ev_error *err)
{
    unsigned char *seed = NULL;
    ev_code rc = EV_OK;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return EV_ENOTFOUND;
        if (errno == ELOOP)
            return ev_fail(err, EV_EINVAL, "%s: is a symbolic link; refusing to use it as the signing key", path);
        return ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = ev_fail(err, EV_EIO, "fstat %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = ev_fail(err, EV_EINVAL, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_uid != geteuid()) {
        rc = ev_fail(err, EV_EINVAL, "%s: owned by uid %u, not by us (uid %u); refusing the signing key",
                     path, (unsigned)st.st_uid, (unsigned)geteuid());
        goto out;
    }
    if ((st.st_mode & 077) != 0) {
        rc = ev_fail(err, EV_EINVAL, "%s: mode %04o lets others read the signing key; it must be 0600",
                     path, (unsigned)(st.st_mode & 07777));
        goto out;
    }
    seed = secure_alloc(SEED_BYTES);
    rc = read_exact(fd, seed, SEED_BYTES, path, err);
    if (rc != EV_OK)
        goto out;
    set_key(s, seed);
out:
    sodium_free(seed);
    close(fd);
    return rc;
}

/*
 * Create a new key: write it to tmp_path, make it durable, then link it to
 * key_path, which fails if another process got there first.
 */
static ev_code create_key(const char *state_dir, const char *key_path, const char *tmp_path,
                          signer *s, ev_error *err)
{
    unsigned char *seed = secure_alloc(SEED_BYTES);
    ev_code rc = EV_OK;
    int fd = -1;

    if (unlink(tmp_path) != 0 && errno != ENOENT) {
        rc = ev_fail(err, EV_EIO, "unlink %s: %s", tmp_path, strerror(errno));
        goto out;
    }
    fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = ev_fail(err, EV_EIO, "create %s: %s", tmp_path, strerror(errno));
        goto out;
    }
    randombytes_buf(seed, SEED_BYTES);
    rc = statefile_write_all(fd, seed, SEED_BYTES, tmp_path, err);
    if (rc != EV_OK)
        goto out;
    if (fsync(fd) != 0) {
        rc = ev_fail(err, EV_EIO, "fsync %s: %s", tmp_path, strerror(errno));
        goto out;
    }
    if (link(tmp_path, key_path) != 0) {
        rc = ev_fail(err, EV_EIO, "link %s: %s", key_path, strerror(errno));
        goto out;
    }
    set_key(s, seed);
out:
    if (fd >= 0) {
        close(fd);
        if (unlink(tmp_path) != 0 && rc == EV_OK)
            rc = ev_fail(err, EV_EIO, "unlink %s: %s", tmp_path, strerror(errno));
    }
    if (rc == EV_OK)
        rc = statefile_sync_dir(state_dir, err);
    sodium_free(seed);
    return rc;
}

/* ledger.pub and ledger.vkey, from the key that signs. */
static ev_code export_public(const char *state_dir, const signer *s, ev_error *err)
{
    char line[VKEY_TEXT_MAX + 1];
    signer_public_hex(s, line);
    strcat(line, "\n");
    ev_code rc = statefile_write(state_dir, SIGNER_PUB_FILE, line, strlen(line), 0644, err);
    if (rc != EV_OK)
        return rc;
    vkey k;
    signer_vkey(s, &k);
    vkey_format(&k, line);
    strcat(line, "\n");
    return statefile_write(state_dir, SIGNER_VKEY_FILE, line, strlen(line), 0644, err);
}

ev_code signer_open(const char *state_dir, signer **out, ev_error *err)
{
    assert(state_dir && out);
    *out = NULL;
    ev_code rc = sodium_ready(err);
    if (rc != EV_OK)
        return rc;

    signer *s = ev_calloc(1, sizeof *s);
    char *key_path = ev_asprintf("%s/%s", state_dir, SIGNER_KEY_FILE);
    char *tmp_path = ev_asprintf("%s/%s.tmp", state_dir, SIGNER_KEY_FILE);
    rc = load_key(key_path, s, err);
    if (rc == EV_ENOTFOUND) {
        rc = create_key(state_dir, key_path, tmp_path, s, err);
        if (rc == EV_OK)
            ev_log(EV_LOG_NOTICE, "created a new ledger signing key %s", key_path);
    }
    if (rc == EV_OK)
        rc = export_public(state_dir, s, err);
    if (rc == EV_OK) {
        *out = s;
        s = NULL;
    }
    signer_close(s);
    free(tmp_path);
    free(key_path);
    return rc;
}

ev_code signer_load_public(const char *path, signer **out, ev_error *err)
{
    assert(path && out);
    *out = NULL;
    ev_code rc = sodium_ready(err);
    if (rc != EV_OK)
        return rc;

    /* Room for the hex, a line ending and some stray white space; a longer
     * file is not a public key. */
    char text[SIGNER_PK_HEX_LEN + 64];
    FILE *f = fopen(path, "re");
    if (!f)
        return ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
    size_t n = fread(text, 1, sizeof text - 1, f);
    bool failed = ferror(f) != 0, whole = feof(f) != 0;
    fclose(f);
    if (failed)
        return ev_fail(err, EV_EIO, "read %s: failed", path);
    text[n] = '\0';

    signer *s = ev_calloc(1, sizeof *s);
    size_t len = 0;
    const char *end = NULL;
    /* sodium_hex2bin skips the ignored characters between digit pairs only,
     * so trim leading white space first and let it stop at trailing. */
    const char *hex = text + strspn(text, " \t\r\n");
    if (!whole || sodium_hex2bin(s->pk, sizeof s->pk, hex, strlen(hex), NULL, &len, &end) != 0 ||
        len != sizeof s->pk || end[strspn(end, " \t\r\n")] != '\0') {
        free(s);
        return ev_fail(err, EV_EINVAL, "%s: not an Ed25519 public key (%d hex digits expected)",
                       path, SIGNER_PK_HEX_LEN);
    }
    *out = s;
    return EV_OK;
}

void signer_close(signer *s)
{
    if (!s)
        return;
    sodium_free(s->sk);
    free(s);
}

bool signer_can_sign(const signer *s)
{
    assert(s);
    return s->sk != NULL;
}

ev_code signer_sign(const signer *s, const unsigned char hash[SIGNER_HASH_BYTES],
                    unsigned char sig[SIGNER_SIG_BYTES], ev_error *err)
{
    return signer_sign_message(s, hash, SIGNER_HASH_BYTES, sig, err);
}

bool signer_verify(const signer *s, const unsigned char hash[SIGNER_HASH_BYTES],
                   const unsigned char sig[SIGNER_SIG_BYTES])
{
    assert(s && hash && sig);
    return crypto_sign_verify_detached(sig, hash, SIGNER_HASH_BYTES, s->pk) == 0;
}

void signer_public_hex(const signer *s, char out[SIGNER_PK_HEX_LEN + 1])
{
    assert(s && out);
    sodium_bin2hex(out, SIGNER_PK_HEX_LEN + 1, s->pk, sizeof s->pk);
}

void signer_vkey(const signer *s, vkey *out)
{
    assert(s && out);
    vkey_from_public(s->pk, out);
}

ev_code signer_sign_message(const signer *s, const void *msg, size_t len,
                            unsigned char sig[SIGNER_SIG_BYTES], ev_error *err)
{
    assert(s && msg && sig);
    if (!s->sk)
        return ev_fail(err, EV_EINVAL, "no secret key: this signer only verifies");
    if (crypto_sign_detached(sig, NULL, msg, len, s->sk) != 0)
        return ev_fail(err, EV_EINTERNAL, "Ed25519 signing failed");
    return EV_OK;
}
