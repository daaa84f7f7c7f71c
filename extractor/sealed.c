/*
 * sealed.c: a file read once into a sealed memfd. The extractor maps the
 * memfd; the seals (no write, no grow, no shrink) mean the bytes it parses
 * are the bytes hashed here, whatever happens to the file meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extractor.h"

void sealed_doc_close(sealed_doc *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/*
 * Copy exactly `size` bytes of `fd` into the memfd, hashing them on the
 * way; one more byte must be end of file. Through a buffer on the stack,
 * not a mapping: unmapping in a process with several threads costs every
 * core a TLB flush, which took a fifth of the daemon's scan speed.
 */
static ev_code copy_hashed(int fd, int mfd, const char *name, uint64_t size, char *sha256,
                           bool *changed, ev_error *err)
{
    char buf[64 * 1024];
    ev_sha256_ctx ctx;
    uint64_t got = 0;

    ev_sha256_init(&ctx);
    for (;;) {
        size_t want = size - got < sizeof buf ? (size_t)(size - got) : sizeof buf;
        ssize_t n = read(fd, buf, want ? want : 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
        if (want == 0) {
            if (n > 0) {
                *changed = true;
                return ev_fail(err, EV_EIO, "%s grew while it was read", name);
            }
            break;
        }
        if (n == 0) {
            *changed = true;
            return ev_fail(err, EV_EIO, "%s shrank while it was read", name);
        }
        ev_sha256_update(&ctx, buf, (size_t)n);
        if (!ev_write_all(mfd, buf, (size_t)n))
            return ev_fail(err, EV_EIO, "memfd of %s: %s", name, strerror(errno));
        got += (uint64_t)n;
    }
    ev_sha256_final_hex(&ctx, sha256);
    return EV_OK;
}

ev_code sealed_doc_read(int fd, const char *name, uint64_t max_size, sealed_doc *out,
                        struct stat *st, bool *changed, ev_error *err)
{
    ev_code rc;
    int mfd;

    out->fd = -1;
    out->size = 0;
    out->sha256[0] = '\0';
    *changed = false;
    if (fstat(fd, st) != 0)
        return ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
    if (!S_ISREG(st->st_mode))
        return ev_fail(err, EV_EIO, "%s is not a regular file", name);
    if ((uint64_t)st->st_size > max_size) {
        unsigned long long hashed;
        /* Too large to parse, but hashed in chunks and on record, so the
         * ledger covers it as it covers every file. */
        if (ev_sha256_fd_hex(fd, out->sha256, &hashed) != 0)
            return ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
        if (hashed != (unsigned long long)st->st_size) {
            *changed = true;
            return ev_fail(err, EV_EIO, "%s changed while it was read", name);
        }
        out->size = hashed;
        return ev_fail(err, EV_ETOOLARGE, "%s is %lld bytes (limit %llu)", name,
                       (long long)st->st_size, (unsigned long long)max_size);
    }
    mfd = memfd_create("evidenced-document", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0)
        return ev_fail(err, EV_EIO, "memfd_create: %s", strerror(errno));
    rc = copy_hashed(fd, mfd, name, (uint64_t)st->st_size, out->sha256, changed, err);
    if (rc == EV_OK &&
        fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
        rc = ev_fail(err, EV_EIO, "sealing the memfd of %s: %s", name, strerror(errno));
    if (rc != EV_OK) {
        close(mfd);
        out->sha256[0] = '\0';
        return rc;
    }
    out->fd = mfd;
    out->size = (uint64_t)st->st_size;
    return EV_OK;
}

ev_code sealed_doc_open(const char *path, uint64_t max_size, sealed_doc *out, ev_error *err)
{
    struct stat st;
    bool changed;
    ev_code rc;
    int fd;

    out->fd = -1;
    if ((fd = doc_open_file(path, err)) < 0)
        return err->code;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
        rc = ev_fail(err, EV_EUNSUPPORTED, "%s is not a regular file", path);
    else
        rc = sealed_doc_read(fd, path, max_size, out, &st, &changed, err);
    close(fd);
    return rc;
}
