/*
 * server.h: the control socket — JSON Lines over a Unix stream socket.
 *
 * Each request is one line holding a JSON object with an "op"; each reply
 * one line, {"ok": true, ...} or {"ok": false, "error": {"code",
 * "message"}}. The server owns framing and fairness, so that no client,
 * and no user, can hold the daemon's memory or its connection slots:
 *
 * - a line over SERVER_MAX_REQUEST bytes, malformed JSON or a missing op
 *   get an error reply (the first closes the connection);
 * - requests not yet read share one budget (`max_input`): past it, only
 *   clients holding less than one read are read from, the others wait
 *   (their bytes stay in the kernel's socket buffer, bounded per socket);
 *   and a client with SERVER_MAX_QUEUED whole requests waiting is not read
 *   until it drains, so one that streams requests cannot outrun its
 *   replies;
 * - a client whose unread replies pass SERVER_MAX_BACKLOG is dropped; while
 *   the unread replies of all clients fill `max_unread`, requests get a
 *   "busy" error reply (clients retry), and clients whose replies have not
 *   moved for seconds are dropped to make room;
 * - a client that sent nothing for `idle_ms` and has nothing pending (no
 *   request waiting or running, no reply unsent, not a watcher) is closed;
 * - one peer uid (SO_PEERCRED) holds at most SERVER_MAX_PER_UID of the
 *   SERVER_MAX_CLIENTS connections; a connection past either is answered
 *   with one "busy" line and closed.
 */
#ifndef EV_SERVER_H
#define EV_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "ev.h"
#include "loop.h"

#define SERVER_MAX_REQUEST (1u << 20)
#define SERVER_MAX_BACKLOG (32u << 20)
#define SERVER_MAX_CLIENTS 1000
/* A share, not all: one user (a runaway script) cannot lock the others out. */
#define SERVER_MAX_PER_UID (SERVER_MAX_CLIENTS / 2)
/* Whole requests read and waiting to be served, per client. */
#define SERVER_MAX_QUEUED 64
#define SERVER_DEFAULT_MAX_INPUT (8u << 20)
#define SERVER_DEFAULT_IDLE_MS 60000u

/* What the clients may hold, all together or each (see above). */
typedef struct server_limits {
    size_t max_unread;      /* all clients' unread replies */
    size_t max_input;       /* all clients' requests read but not yet served */
    unsigned idle_ms;       /* a client with nothing pending is closed after; 0: never */
} server_limits;

typedef struct server server;
typedef struct client client;

/* A request: `req` is a JSON object whose "op" is a string; borrowed. */
typedef void server_request_fn(void *arg, client *c, const char *op, json_t *req);

/*
 * Listen on `path` (a stale socket file left by a crash is replaced; a live
 * one is an error), mode 0660. EV_EIO with the reason on failure.
 */
ev_code server_open(loop *l, const char *path, const server_limits *lim,
                    server_request_fn *fn, void *arg, server **out, ev_error *err);
void server_close(server *s);
/* New limits (a configuration reload); they apply from the next event. */
void server_set_limits(server *s, const server_limits *lim);

/* Send {"ok": true, ...members of body} (body is consumed; NULL: none). */
void server_reply_ok(client *c, json_t *body);
/* Send {"ok": false, "error": {code, message}}. */
void server_reply_error(client *c, const char *code, const char *fmt, ...) EV_PRINTF(3, 4);
/* Append o to `out` as every reply line is written (compact, in order). */
void server_append_json(ev_buf *out, const json_t *o);

/* Appends one serialised JSON value to `out`. */
typedef void server_write_fn(void *ctx, ev_buf *out);

/*
 * Send {"ok": true, ...members of body, "<member>": V} where write()
 * appends V straight to the client's buffer: a large value that exists as
 * text already (every document's record) is neither parsed into a tree nor
 * copied twice. `member` needs no JSON escaping; body is consumed.
 */
void server_reply_ok_with(client *c, json_t *body, const char *member,
                          server_write_fn *write, void *ctx);
/* Send a line without the ok envelope (watch events); `o` is consumed. */
void server_send(client *c, json_t *o);

/* Mark a client as a watcher: it receives server_broadcast() lines. */
void server_subscribe(client *c);
/* Send `o` to every watcher (consumed). */
void server_broadcast(server *s, json_t *o);

/*
 * Answer c later, off the loop (a verify that reads every file): until
 * server_resume(), c's further requests wait in order, its connection is
 * not idle, and a peer that half-closes is kept for the answer. Returns a
 * ticket; at most one deferral per client at a time.
 */
uint64_t server_defer(client *c);
/* The client of a ticket, ready for its one reply (then served as before);
 * NULL when it has gone meanwhile, and the answer has nobody to go to. */
client *server_resume(server *s, uint64_t ticket);

size_t server_client_count(const server *s);
/* The peer's credentials, from SO_PEERCRED. */
pid_t client_pid(const client *c);
uid_t client_uid(const client *c);

#endif
