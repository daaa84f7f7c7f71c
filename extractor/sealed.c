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

/* Read exactly `size` bytes into `buf`; one more byte must be end of file. */
static ev_code read_exact(int fd, const char *name, char *buf, size_t size, bool *changed,
                          ev_error *err)
{
    size_t got = 0;
    char extra;

    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
        if (n == 0) {
            *changed = true;
            return ev_fail(err, EV_EIO, "%s shrank while it was read", name);
        }
        got += (size_t)n;
    }
    for (;;) {
        ssize_t n = read(fd, &extra, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ev_fail(err, EV_EIO, "%s: %s", name, strerror(errno));
        if (n > 0) {
            *changed = true;
            return ev_fail(err, EV_EIO, "%s grew while it was read", name);
        }
        return EV_OK;
    }
}

ev_code sealed_doc_read(int fd, const char *name, uint64_t max_size, sealed_doc *out,
                        struct stat *st, bool *changed, ev_error *err)
{
    void *map = MAP_FAILED;
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
    out->size = (uint64_t)st->st_size;
    if (out->size > 0) {
        if (ftruncate(mfd, (off_t)out->size) != 0) {
            rc = ev_fail(err, EV_EIO, "memfd of %s: %s", name, strerror(errno));
            goto fail;
        }
        map = mmap(NULL, (size_t)out->size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
        if (map == MAP_FAILED) {
            rc = ev_fail(err, EV_EIO, "memfd of %s: %s", name, strerror(errno));
            goto fail;
        }
        if ((rc = read_exact(fd, name, map, (size_t)out->size, changed, err)) != EV_OK)
            goto fail;
        ev_sha256_hex(map, (size_t)out->size, out->sha256);
        munmap(map, (size_t)out->size);     /* F_SEAL_WRITE refuses a writable mapping */
        map = MAP_FAILED;
    } else {
        char extra;
        ssize_t n = read(fd, &extra, 1);
        if (n != 0) {
            *changed = n > 0;
            rc = ev_fail(err, EV_EIO, "%s: %s", name, n > 0 ? "grew while it was read"
                                                            : strerror(errno));
            goto fail;
        }
        ev_sha256_hex("", 0, out->sha256);
    }
    if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
        rc = ev_fail(err, EV_EIO, "sealing the memfd of %s: %s", name, strerror(errno));
        goto fail;
    }
    out->fd = mfd;
    return EV_OK;
fail:
    if (map != MAP_FAILED)
        munmap(map, (size_t)out->size);
    close(mfd);
    out->size = 0;
    return rc;
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
