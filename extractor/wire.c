/* wire.c: framing and descriptor passing over the extractor's socketpair. */
#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

uint64_t wire_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t wire_max_reply(size_t max_text)
{
    /* JSON escapes a control byte as six; text is never more than that
     * plus the record's own members. */
    return (uint64_t)max_text * 6u + (4u << 20);
}

uint64_t wire_max_blocks_reply(size_t max_text)
{
    /* A block holds at least one byte of text and its NUL; its members
     * (part, kind, cell position, source, confidence) are under 128 bytes. */
    return (uint64_t)max_text * 64u + (4u << 20);
}

ev_code wire_send(int sock, uint32_t type, uint64_t size, const void *payload, size_t len,
                  int fd, ev_error *err)
{
    wire_header h = {.magic = WIRE_MAGIC, .type = type, .len = len, .size = size};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov[2] = {
        {.iov_base = &h, .iov_len = sizeof h},
        {.iov_base = (void *)payload, .iov_len = len},
    };
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
    size_t left = sizeof h + len;

    if (fd >= 0) {
        struct cmsghdr *c;
        memset(&ctl, 0, sizeof ctl);
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof ctl.buf;
        c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    while (left > 0) {
        ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ev_fail(err, EV_EIO, "the extractor's socket: %s",
                           n < 0 ? strerror(errno) : "closed");
        left -= (size_t)n;
        msg.msg_control = NULL;     /* the descriptor went with the first byte */
        msg.msg_controllen = 0;
        while (n > 0 && msg.msg_iovlen > 0) {
            size_t step = (size_t)n < msg.msg_iov->iov_len ? (size_t)n : msg.msg_iov->iov_len;
            msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + step;
            msg.msg_iov->iov_len -= step;
            n -= (ssize_t)step;
            if (msg.msg_iov->iov_len == 0) {
                msg.msg_iov++;
                msg.msg_iovlen--;
            }
        }
    }
    return EV_OK;
}

/* Keep the first descriptor that came in `msg` for the caller (if it wants
 * one and has none yet); close every other. */
static void take_fds(struct msghdr *msg, int *fd_out)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        size_t n;
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof fd, sizeof fd);
            if (fd_out && *fd_out < 0)
                *fd_out = fd;
            else
                close(fd);
        }
    }
}

ev_code wire_recv(int sock, void *buf, size_t len, uint64_t deadline_ms, int *fd_out,
                  ev_error *err)
{
    size_t got = 0;

    if (fd_out)
        *fd_out = -1;
    while (got < len) {
        union {
            struct cmsghdr align;
            char buf[CMSG_SPACE(4 * sizeof(int))];
        } ctl;
        struct iovec iov = {.iov_base = (char *)buf + got, .iov_len = len - got};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1,
                             .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
        ssize_t n;

        if (deadline_ms) {
            uint64_t now = wire_now_ms();
            struct pollfd p = {.fd = sock, .events = POLLIN};
            int rc;
            if (now >= deadline_ms)
                return ev_fail(err, EV_ETIMEOUT, "the extractor did not answer in time");
            rc = poll(&p, 1, (int)(deadline_ms - now));
            if (rc < 0 && errno == EINTR)
                continue;
            if (rc < 0)
                return ev_fail(err, EV_EIO, "poll: %s", strerror(errno));
            if (rc == 0)
                continue;
        }
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0 || msg.msg_controllen > 0)
            take_fds(&msg, fd_out);
        if (n <= 0)
            return ev_fail(err, EV_EIO, "the extractor's socket: %s",
                           n < 0 ? strerror(errno) : "closed");
        got += (size_t)n;
    }
    return EV_OK;
}
