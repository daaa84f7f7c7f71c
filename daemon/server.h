/*
 * server.h: the control socket — JSON Lines over a Unix stream socket.
 *
 * Each request is one line holding a JSON object with an "op"; each reply
 * one line, {"ok": true, ...} or {"ok": false, "error": {"code",
 * "message"}}. The server owns framing and fairness: a line over
 * SERVER_MAX_REQUEST bytes, malformed JSON or a missing op get an error
 * reply (the first closes the connection); a client whose unread replies
 * pass SERVER_MAX_BACKLOG is dropped, so one that never reads cannot grow
 * the daemon's memory or stall the others. While the unread replies of all
 * clients together fill `max_unread`, requests get a "busy" error reply
 * (clients retry), and clients whose replies have not moved for seconds
 * are dropped to make room. Peers are identified with SO_PEERCRED and
 * logged.
 */
#ifndef EV_SERVER_H
#define EV_SERVER_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

#include "ev.h"
#include "loop.h"

#define SERVER_MAX_REQUEST (1u << 20)
#define SERVER_MAX_BACKLOG (32u << 20)
#define SERVER_MAX_CLIENTS 1000

typedef struct server server;
typedef struct client client;

/* A request: `req` is a JSON object whose "op" is a string; borrowed. */
typedef void server_request_fn(void *arg, client *c, const char *op, json_t *req);

/*
 * Listen on `path` (a stale socket file left by a crash is replaced; a live
 * one is an error), mode 0660. EV_EIO with the reason on failure.
 */
ev_code server_open(loop *l, const char *path, size_t max_unread, server_request_fn *fn,
                    void *arg, server **out, ev_error *err);
void server_close(server *s);
/* A new budget for all clients' unread replies (a configuration reload). */
void server_set_max_unread(server *s, size_t max_unread);

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

size_t server_client_count(const server *s);
/* The peer's credentials, from SO_PEERCRED. */
pid_t client_pid(const client *c);
uid_t client_uid(const client *c);

#endif
