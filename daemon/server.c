/* server.c: accept, frame lines, queue replies, drop the misbehaving. */
#include "server.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "evidence.h"

struct client {
    server *s;
    int fd;
    uint64_t id;            /* for server_defer() tickets; never reused */
    struct ucred cred;
    ev_buf in;
    size_t lines;           /* whole requests waiting in `in` */
    ev_buf out;
    size_t out_off;         /* bytes of out already written */
    uint64_t moved_ms;      /* when its replies last moved (or began to wait) */
    uint64_t heard_ms;      /* when it last sent anything (or connected) */
    bool subscribed;
    bool deferred;          /* its answer is being worked out off the loop */
    bool closing;           /* close once out is flushed */
    bool eof;               /* the peer sent all it will send */
    bool dead;
    client *prev, *next;
};

struct server {
    loop *l;
    int fd;
    char *path;
    server_request_fn *fn;
    void *arg;
    client *clients;
    size_t nclients;
    client *current;        /* being served: freed only after its callback */
    server_limits lim;
    size_t input;           /* memory of all clients' `in` buffers */
    bool starved;           /* a client was not read for want of input room */
    bool accept_paused;     /* out of descriptors: accepting again at the tick */
    uint64_t next_id;
    loop_timer *tick;       /* idle clients, paused accepts */
};

static void input_changed(client *c, size_t cap_before);

static void client_free(client *c)
{
    server *s = c->s;
    size_t cap = c->in.cap;

    ev_buf_free(&c->in);
    c->lines = 0;
    input_changed(c, cap);
    loop_del_fd(s->l, c->fd);
    close(c->fd);
    if (c->prev)
        c->prev->next = c->next;
    else
        s->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nclients--;
    ev_buf_free(&c->out);
    free(c);
}

/* Close a client (freed now, or after its callback when it is being served).
 * A peer that misbehaved is logged at `level`; one that finished at debug. */
static void client_drop(client *c, ev_log_level level, const char *why)
{
    if (c->dead)
        return;
    ev_log(level, "client pid %d uid %u: %s", (int)c->cred.pid,
           (unsigned)c->cred.uid, why);
    c->dead = true;
    if (c->s->current != c)
        client_free(c);
}

/* Unsent reply bytes past which a client's requests wait: it must read
 * before it may ask more, so a peer that never reads costs this much. */
#define PAUSE_BACKLOG (256u << 10)
/* Requests served per client per turn of the loop, so the others get theirs. */
#define LINES_PER_TURN 16
/* One read from a client. Past the input budget a client holding less than
 * this is still read, so a small request is never held up by large ones;
 * which bounds the input at max_input plus this much per client. */
#define READ_CHUNK 16384
/* An emptied input buffer larger than this is given back. */
#define KEEP_INPUT (64u << 10)
/* The tick: idle clients are looked for, a paused accept is retried. */
#define TICK_MS 1000
/* A client whose replies have not moved for this long, while others are
 * refused for want of room, is taken to have stopped reading. */
#define STALL_MS 5000

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static size_t backlog(const client *c)
{
    return c->out.len - c->out_off;
}

static size_t unread_total(const server *s)
{
    size_t n = 0;
    for (const client *c = s->clients; c; c = c->next)
        n += c->dead ? 0 : backlog(c);
    return n;
}

/*
 * Whether a request may be served now: while the unread replies of all
 * clients fill max_unread, it is refused as busy (the client retries), so
 * many clients asking for large replies at once cannot grow the daemon
 * without bound. Clients that stopped reading are dropped first, so they
 * cannot keep the room from the others for long.
 */
static bool room_for_reply(client *c)
{
    server *s = c->s;
    uint64_t now;

    if (unread_total(s) < s->lim.max_unread)
        return true;
    now = now_ms();
    for (client *o = s->clients, *next; o; o = next) {
        next = o->next;
        if (o != c && !o->dead && backlog(o) && now - o->moved_ms >= STALL_MS)
            client_drop(o, EV_LOG_NOTICE, "dropped: it stopped reading its replies");
    }
    return unread_total(s) < s->lim.max_unread;
}

static bool has_line(const client *c)
{
    return c->lines > 0;
}

/* Whether c's waiting requests may be served now (replies go in order). */
static bool may_ask(const client *c)
{
    return !c->closing && !c->deferred && backlog(c) < PAUSE_BACKLOG;
}

/* Whether to read from c now: it may ask, has few requests waiting, and
 * the input budget has room or c holds less than one read. */
static bool may_read(const client *c)
{
    return may_ask(c) && !c->eof && c->lines < SERVER_MAX_QUEUED &&
           (c->s->input < c->s->lim.max_input || c->in.len < READ_CHUNK);
}

/* Read while it may; write while replies wait; and come back next turn
 * (the socket is writable) while whole requests wait in the buffer. */
static void update_interest(client *c)
{
    unsigned events = 0;

    if (may_read(c))
        events |= LOOP_READ;
    else if (may_ask(c) && !c->eof && c->lines < SERVER_MAX_QUEUED)
        c->s->starved = true;       /* held back by the input budget alone */
    if (backlog(c) || (may_ask(c) && has_line(c)))
        events |= LOOP_WRITE;
    loop_set_events(c->s->l, c->fd, events);
}

/* The input buffers' memory changed (c->in was cap_before): account for
 * it, and when room came back, read again from the clients held back. */
static void input_changed(client *c, size_t cap_before)
{
    server *s = c->s;

    s->input = s->input - cap_before + c->in.cap;
    if (!s->starved || s->input >= s->lim.max_input)
        return;
    s->starved = false;
    for (client *o = s->clients; o; o = o->next)
        if (o != s->current && !o->dead)
            update_interest(o);
}

static void flush(client *c)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            client_drop(c, EV_LOG_NOTICE, "connection lost");
            return;
        }
        c->out_off += (size_t)n;
        c->moved_ms = now_ms();
    }
    if (c->out_off == c->out.len) {
        ev_buf_reset(&c->out);
        c->out_off = 0;
        if (c->closing || (c->eof && !has_line(c) && !c->deferred)) {
            client_drop(c, c->closing ? EV_LOG_NOTICE : EV_LOG_DEBUG,
                        c->closing ? "closed after an oversized request" : "done");
            return;
        }
    } else if (c->out_off > (1u << 20)) {
        memmove(c->out.data, c->out.data + c->out_off, c->out.len - c->out_off);
        c->out.len -= c->out_off;
        c->out_off = 0;
    }
}

/* Whether a line may be queued for c. Requests pause long before the cap;
 * only a watcher that stopped reading while events pour in reaches it. */
static bool queue_open(client *c)
{
    if (c->dead)
        return false;
    if (backlog(c) >= SERVER_MAX_BACKLOG) {
        client_drop(c, EV_LOG_NOTICE, "dropped: it does not read its replies");
        return false;
    }
    if (!backlog(c))
        c->moved_ms = now_ms();
    return true;
}

/* The line is queued: send what the socket takes now. */
static void queue_close(client *c)
{
    flush(c);
    if (!c->dead && c->s->current != c)
        update_interest(c);
}

static int dump_to_buf(const char *data, size_t len, void *arg)
{
    ev_buf_append(arg, data, len);
    return 0;
}

void server_append_json(ev_buf *out, const json_t *o)
{
    if (json_dump_callback(o, dump_to_buf, out, EVIDENCE_JSON_FLAGS) != 0)
        ev_die("cannot serialise a reply");
}

void server_send(client *c, json_t *o)
{
    if (queue_open(c)) {
        server_append_json(&c->out, o);
        ev_buf_putc(&c->out, '\n');
        queue_close(c);
    }
    json_decref(o);
}

void server_reply_ok_with(client *c, json_t *body, const char *member,
                          server_write_fn *write, void *ctx)
{
    json_t *o = json_object();

    json_object_set_new(o, "ok", json_true());
    if (body)
        json_object_update(o, body);
    json_decref(body);
    if (queue_open(c)) {
        server_append_json(&c->out, o);
        assert(c->out.len > 0 && c->out.data[c->out.len - 1] == '}');
        c->out.len--;
        ev_buf_printf(&c->out, ",\"%s\":", member);
        write(ctx, &c->out);
        ev_buf_puts(&c->out, "}\n");
        queue_close(c);
    }
    json_decref(o);
}

void server_reply_ok(client *c, json_t *body)
{
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_true());
    if (body)
        json_object_update(o, body);
    json_decref(body);
    server_send(c, o);
}

void server_reply_error(client *c, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    server_send(c, json_pack("{s:b, s:{s:s, s:s}}", "ok", 0, "error", "code", code,
                             "message", msg));
}

void server_subscribe(client *c)
{
    c->subscribed = true;
}

void server_broadcast(server *s, json_t *o)
{
    client *c = s->clients;
    while (c) {
        client *next = c->next;
        if (c->subscribed && !c->dead)
            server_send(c, json_incref(o));
        c = next;
    }
    json_decref(o);
}

static void handle_line(client *c, char *line, size_t len)
{
    json_error_t jerr;
    json_t *req;
    const char *op;

    while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
        line[--len] = '\0';
    if (len == 0)
        return;
    if (!room_for_reply(c)) {
        server_reply_error(c, "busy", "replies to other clients fill the daemon's buffers; "
                           "ask again shortly");
        return;
    }
    req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!req) {
        server_reply_error(c, "bad-request", "malformed JSON at column %d: %s",
                           jerr.column, jerr.text);
        return;
    }
    op = json_string_value(json_object_get(req, "op"));
    if (!json_is_object(req) || !op)
        server_reply_error(c, "bad-request", "a request is a JSON object with an \"op\"");
    else
        c->s->fn(c->s->arg, c, op, req);
    json_decref(req);
}

/* Serve the whole lines waiting in c->in, a few per turn. */
static void serve_lines(client *c)
{
    size_t start = 0, cap = c->in.cap;
    char *nl;

    for (int served = 0; served < LINES_PER_TURN && !c->dead && may_ask(c) &&
                         c->lines > 0 &&
                         (nl = memchr(c->in.data + start, '\n', c->in.len - start));
         served++) {
        *nl = '\0';
        c->lines--;
        handle_line(c, c->in.data + start, (size_t)(nl - (c->in.data + start)));
        start = (size_t)(nl - c->in.data) + 1;
    }
    if (c->dead || start == 0)
        return;
    memmove(c->in.data, c->in.data + start, c->in.len - start);
    c->in.len -= start;
    if (c->in.len == 0 && c->in.cap > KEEP_INPUT)
        ev_buf_free(&c->in);
    input_changed(c, cap);
}

/* Read what c sent, once. */
static void read_client(client *c)
{
    char buf[READ_CHUNK];
    size_t cap = c->in.cap;
    ssize_t n;

    do
        n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
            c->lines++;
        ev_buf_append(&c->in, buf, (size_t)n);
        c->heard_ms = now_ms();
        input_changed(c, cap);
    } else if (n == 0) {
        c->eof = true;          /* answer what was asked, then close */
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        client_drop(c, EV_LOG_NOTICE, "connection lost");
    }
}

/*
 * A hang-up is reported whatever the interest, so a client not read from
 * (its answer pending, the input budget full) whose peer closed would wake
 * the loop at every turn; nobody is left to read its answers: drop it.
 */
static bool hung_up(int fd)
{
    struct pollfd p = {.fd = fd, .events = 0};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

/* The bytes after c's last whole request: a request still arriving. */
static size_t partial_len(const client *c)
{
    const char *nl = c->in.len ? memrchr(c->in.data, '\n', c->in.len) : NULL;
    return nl ? c->in.len - (size_t)(nl + 1 - c->in.data) : c->in.len;
}

static void on_client(loop *l, int fd, unsigned events, void *arg)
{
    client *c = arg;
    server *s = c->s;

    (void)l;
    s->current = c;
    if (events & LOOP_WRITE)
        flush(c);
    if (!c->dead && (events & LOOP_READ)) {
        if (may_read(c))
            read_client(c);
        else if (hung_up(fd))
            client_drop(c, EV_LOG_DEBUG, "gone before its answer");
    }
    if (!c->dead)
        serve_lines(c);
    if (!c->dead && !c->closing && partial_len(c) > SERVER_MAX_REQUEST) {
        size_t cap = c->in.cap;
        ev_buf_free(&c->in);
        c->lines = 0;
        input_changed(c, cap);
        c->closing = true;
        server_reply_error(c, "too-large", "a request line may be at most %u bytes",
                           SERVER_MAX_REQUEST);
    }
    if (!c->dead) {
        flush(c);
        if (!c->dead)
            update_interest(c);
    }
    s->current = NULL;
    if (c->dead)
        client_free(c);
}

static size_t clients_of(const server *s, uid_t uid)
{
    size_t n = 0;
    for (const client *c = s->clients; c; c = c->next)
        n += !c->dead && c->cred.uid == uid;
    return n;
}

/* Turn a connection away with one "busy" line, which evidencectl retries
 * on: a silent close would read as a daemon gone. */
static void refuse(int cfd, const struct ucred *cred, const char *why)
{
    char line[256];
    int n = snprintf(line, sizeof line,
                     "{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":\"%s; "
                     "try again shortly\"}}\n", why);

    if (send(cfd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        ev_log(EV_LOG_DEBUG, "refused client: %s", strerror(errno));
    ev_log(EV_LOG_INFO, "client pid %d uid %u refused: %s", (int)cred->pid,
           (unsigned)cred->uid, why);
    close(cfd);
}

static void on_accept(loop *l, int fd, unsigned events, void *arg)
{
    server *s = arg;

    (void)events;
    for (;;) {
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct ucred cred = {.pid = -1, .uid = (uid_t)-1, .gid = (gid_t)-1};
        socklen_t len = sizeof cred;
        client *c;

        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                /* The pending connection keeps the socket readable: stop
                 * listening until the tick rather than spin. */
                ev_log(EV_LOG_WARNING, "accept: %s; accepting again in a second",
                       strerror(errno));
                loop_set_events(l, fd, 0);
                s->accept_paused = true;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ev_log(EV_LOG_WARNING, "accept: %s", strerror(errno));
            }
            return;
        }
        if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
            cred.pid = -1;
        if (s->nclients >= SERVER_MAX_CLIENTS) {
            refuse(cfd, &cred, "too many clients");
            continue;
        }
        if (clients_of(s, cred.uid) >= SERVER_MAX_PER_UID) {
            char why[96];
            snprintf(why, sizeof why, "uid %u holds %u connections, its most",
                     (unsigned)cred.uid, (unsigned)SERVER_MAX_PER_UID);
            refuse(cfd, &cred, why);
            continue;
        }
        c = ev_calloc(1, sizeof *c);
        c->s = s;
        c->fd = cfd;
        c->id = ++s->next_id;
        c->cred = cred;
        c->heard_ms = now_ms();
        if (loop_add_fd(l, cfd, LOOP_READ, on_client, c) != 0) {
            close(cfd);
            free(c);
            continue;
        }
        c->next = s->clients;
        if (s->clients)
            s->clients->prev = c;
        s->clients = c;
        s->nclients++;
        ev_log(EV_LOG_DEBUG, "client pid %d uid %u gid %u connected", (int)c->cred.pid,
               (unsigned)c->cred.uid, (unsigned)c->cred.gid);
    }
}

/* Whether c holds a slot for nothing: it has sent nothing for idle_ms and
 * nothing is pending for it. Watchers wait for events by design. */
static bool is_idle(const client *c, uint64_t now)
{
    return c->s->lim.idle_ms && !c->dead && !c->subscribed && !c->deferred && !c->lines &&
           !backlog(c) && now - c->heard_ms >= c->s->lim.idle_ms;
}

static void on_tick(loop *l, void *arg)
{
    server *s = arg;
    uint64_t now = now_ms();

    if (s->accept_paused) {
        s->accept_paused = false;
        loop_set_events(l, s->fd, LOOP_READ);
    }
    for (client *c = s->clients, *next; c; c = next) {
        next = c->next;
        if (is_idle(c, now)) {
            char why[64];
            snprintf(why, sizeof why, "closed after %u s without a request",
                     s->lim.idle_ms / 1000);
            client_drop(c, EV_LOG_INFO, why);
        }
    }
}

uint64_t server_defer(client *c)
{
    assert(!c->deferred);
    c->deferred = true;
    return c->id;
}

client *server_resume(server *s, uint64_t ticket)
{
    for (client *c = s->clients; c; c = c->next) {
        if (c->id == ticket && !c->dead) {
            assert(c->deferred);
            c->deferred = false;
            c->heard_ms = now_ms();
            return c;
        }
    }
    return NULL;
}

/* A socket file nobody answers on is what a crash leaves: replace it. */
static bool socket_is_live(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool live;

    if (fd < 0)
        return false;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    live = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return live;
}

ev_code server_open(loop *l, const char *path, const server_limits *lim,
                    server_request_fn *fn, void *arg, server **out, ev_error *err)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    server *s;
    int fd;

    *out = NULL;
    if (strlen(path) >= sizeof sa.sun_path)
        return ev_fail(err, EV_EINVAL, "socket path %s is too long", path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return ev_fail(err, EV_EIO, "%s exists and is not a socket", path);
        if (socket_is_live(path))
            return ev_fail(err, EV_EIO, "another evidenced is listening on %s", path);
        unlink(path);
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ev_fail(err, EV_EIO, "socket: %s", strerror(errno));
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || chmod(path, 0660) != 0 ||
        listen(fd, 128) != 0) {
        ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        return EV_EIO;
    }
    s = ev_calloc(1, sizeof *s);
    s->l = l;
    s->fd = fd;
    s->path = ev_strdup(path);
    s->fn = fn;
    s->arg = arg;
    s->lim = *lim;
    s->tick = loop_timer_new(l, false, on_tick, s);
    if (!s->tick || loop_timer_arm(s->tick, TICK_MS, TICK_MS) != 0 ||
        loop_add_fd(l, fd, LOOP_READ, on_accept, s) != 0) {
        ev_fail(err, EV_EIO, "epoll: %s", strerror(errno));
        server_close(s);
        return EV_EIO;
    }
    *out = s;
    return EV_OK;
}

void server_close(server *s)
{
    if (!s)
        return;
    while (s->clients)
        client_free(s->clients);
    loop_timer_free(s->tick);
    loop_del_fd(s->l, s->fd);
    close(s->fd);
    unlink(s->path);
    free(s->path);
    free(s);
}

void server_set_limits(server *s, const server_limits *lim)
{
    s->lim = *lim;
    for (client *c = s->clients; c; c = c->next)
        if (!c->dead)
            update_interest(c);
}

size_t server_client_count(const server *s)
{
    return s->nclients;
}

pid_t client_pid(const client *c)
{
    return c->cred.pid;
}

uid_t client_uid(const client *c)
{
    return c->cred.uid;
}
