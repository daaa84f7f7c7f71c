/*
 * remote.c: the commands that ask the daemon, over its Unix socket: one
 * JSON request line, one JSON reply line (watch: a stream of them).
 * Exit 3 when the daemon cannot be reached, 1 when it answers with an
 * error, 2 for usage errors.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "ev.h"
#include "report.h"

#define MAX_REPLY (512u << 20)
/* How long a "busy" daemon is asked again before giving up. */
#define BUSY_RETRY_MS 30000

typedef struct conn {
    int fd;
    ev_buf in;
    size_t off;
} conn;

static int connect_daemon(conn *c)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    memset(c, 0, sizeof *c);
    if (strlen(ctl_opts.socket) >= sizeof sa.sun_path) {
        fprintf(stderr, "evidencectl: socket path too long\n");
        return CTL_USAGE;
    }
    strcpy(sa.sun_path, ctl_opts.socket);
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "evidencectl: cannot reach evidenced at %s: %s\n", ctl_opts.socket,
                strerror(errno));
        if (c->fd >= 0)
            close(c->fd);
        return CTL_UNREACHABLE;
    }
    return CTL_OK;
}

static void conn_close(conn *c)
{
    close(c->fd);
    ev_buf_free(&c->in);
}

static bool send_request(conn *c, json_t *req)
{
    char *line = json_dumps(req, JSON_COMPACT);
    size_t len = strlen(line), done = 0;
    bool ok = true;

    json_decref(req);
    while (done <= len && ok) {
        ssize_t n = send(c->fd, done < len ? line + done : "\n", done < len ? len - done : 1,
                         MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            ok = false;
        else
            done += done < len ? (size_t)n : 1;
    }
    free(line);
    return ok;
}

/* The next line from the daemon as JSON; NULL when it closed or sent junk. */
static json_t *read_reply(conn *c)
{
    char buf[65536];

    for (;;) {
        char *nl = c->in.len > c->off ? memchr(c->in.data + c->off, '\n', c->in.len - c->off)
                                      : NULL;
        if (nl) {
            json_t *o = json_loadb(c->in.data + c->off, (size_t)(nl - (c->in.data + c->off)),
                                   0, NULL);
            c->off = (size_t)(nl - c->in.data) + 1;
            return o;
        }
        if (c->in.len - c->off > MAX_REPLY)
            return NULL;
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return NULL;
        ev_buf_append(&c->in, buf, (size_t)n);
    }
}

/* Whether r is the daemon's "busy" (its reply buffers or its client slots
 * are full) and there is time left to ask again: then wait a little. */
static bool busy_wait(const json_t *r, unsigned *waited_ms)
{
    const char *code = json_string_value(json_object_get(json_object_get(r, "error"), "code"));
    unsigned ms = *waited_ms < 50 ? 50 : *waited_ms < 1000 ? *waited_ms : 1000;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    if (!code || strcmp(code, "busy") != 0 || *waited_ms >= BUSY_RETRY_MS)
        return false;
    nanosleep(&ts, NULL);
    *waited_ms += ms;
    return true;
}

/* Connect, send req (consumed) and take the first reply line; retries
 * while the daemon is busy. NULL after printing why. */
static json_t *exchange(conn *c, json_t *req, int *rc)
{
    unsigned waited = 0;
    json_t *r;

    for (;;) {
        if ((*rc = connect_daemon(c)) != CTL_OK) {
            json_decref(req);
            return NULL;
        }
        if (!send_request(c, json_incref(req)) || !(r = read_reply(c))) {
            fprintf(stderr, "evidencectl: evidenced closed the connection\n");
            conn_close(c);
            json_decref(req);
            *rc = CTL_UNREACHABLE;
            return NULL;
        }
        if (!busy_wait(r, &waited))
            break;
        json_decref(r);
        conn_close(c);
    }
    json_decref(req);
    if (!json_is_true(json_object_get(r, "ok"))) {
        json_t *e = json_object_get(r, "error");
        fprintf(stderr, "evidencectl: %s: %s\n",
                json_string_value(json_object_get(e, "code")) ?
                    json_string_value(json_object_get(e, "code")) : "error",
                json_string_value(json_object_get(e, "message")) ?
                    json_string_value(json_object_get(e, "message")) : "");
        json_decref(r);
        conn_close(c);
        *rc = CTL_FAILED;
        return NULL;
    }
    *rc = CTL_OK;
    return r;
}

/* Send one request and take its reply; prints errors. *reply is NULL
 * unless the daemon answered ok. */
static int ask(json_t *req, json_t **reply)
{
    conn c;
    int rc;

    *reply = exchange(&c, req, &rc);
    if (*reply) {
        conn_close(&c);
        json_object_del(*reply, "ok");
    }
    return rc;
}

/* Options shared by the query commands. */
typedef struct query_opts {
    bool json;
    bool brief;             /* status --json without the document list */
    const char *as_of;
    const char *kind;
    const char *state;
    long long since;
    long long limit;
} query_opts;

static int parse_query(int argc, char **argv, query_opts *q, const char *usage_line)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"brief", no_argument, NULL, 'b'},
        {"as-of", required_argument, NULL, 'a'},
        {"kind", required_argument, NULL, 'k'},
        {"state", required_argument, NULL, 's'},
        {"since", required_argument, NULL, 'S'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(q, 0, sizeof *q);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'j': q->json = true; break;
        case 'b': q->brief = true; break;
        case 'a': q->as_of = optarg; break;
        case 'k': q->kind = optarg; break;
        case 's': q->state = optarg; break;
        case 'S':
        case 'l': {
            long long *slot = c == 'S' ? &q->since : &q->limit;
            errno = 0;
            *slot = strtoll(optarg, &end, 10);
            if (errno || *end || *slot < 0)
                goto bad;
            break;
        }
        default:
            goto bad;
        }
    }
    return CTL_OK;
bad:
    fprintf(stderr, "usage: evidencectl %s\n", usage_line);
    return CTL_USAGE;
}

static void print_documents(const json_t *docs)
{
    const json_t *d;
    size_t i;

    json_array_foreach(docs, i, d) {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        const char *topic = json_string_value(json_object_get(d, "topic"));
        const json_t *err = json_object_get(d, "error");
        char what[96];
        if (err)
            snprintf(what, sizeof what, "rejected: %s",
                     json_string_value(json_object_get(err, "code")));
        else
            snprintf(what, sizeof what, "%s%s%s", kind ? kind : "unparsed", topic ? "/" : "",
                     topic ? topic : "");
        printf("%-34s %s\n", what, json_string_value(json_object_get(d, "path")));
    }
}

int cmd_status(int argc, char **argv)
{
    query_opts q;
    json_t *r, *req, *progress, *led;
    int rc = parse_query(argc, argv, &q, "status [--as-of YYYY-MM-DD] [--json [--brief]]");

    if (rc != CTL_OK || optind != argc)
        return rc != CTL_OK ? rc : CTL_USAGE;
    req = json_pack("{s:s, s:b}", "op", "status", "documents", q.json && !q.brief);
    if (q.as_of)
        json_object_set_new(req, "as_of", json_string(q.as_of));
    if ((rc = ask(req, &r)) != CTL_OK)
        return rc;
    if (q.json) {
        ctl_print_json(r);
    } else {
        progress = json_object_get(r, "progress");
        led = json_object_get(r, "ledger");
        printf("folder %s: %lld documents", json_string_value(json_object_get(r, "watch")),
               (long long)json_integer_value(json_object_get(progress, "documents")));
        if (json_is_true(json_object_get(progress, "scanning")))
            printf(" (scanning: %lld seen, %lld read, %lld queued)",
                   (long long)json_integer_value(json_object_get(progress, "files_seen")),
                   (long long)json_integer_value(json_object_get(progress, "parsed")),
                   (long long)json_integer_value(json_object_get(progress, "queued")));
        else if (json_is_true(json_object_get(progress, "evaluating")))
            printf(" (evaluation catching up with the last changes)");
        printf("; ledger seq %lld, head %.16s\n\n",
               (long long)json_integer_value(json_object_get(led, "seq")),
               json_string_value(json_object_get(led, "hash")) ?
                   json_string_value(json_object_get(led, "hash")) : "");
        report_evaluation(stdout, r, report_colour(stdout));
    }
    json_decref(r);
    return CTL_OK;
}

int cmd_requirement(int argc, char **argv)
{
    query_opts q;
    json_t *r, *req;
    int rc = parse_query(argc, argv, &q, "requirement ID [--as-of DATE] [--json]");

    if (rc != CTL_OK || optind != argc - 1) {
        if (rc == CTL_OK)
            fputs("usage: evidencectl requirement ID [--as-of DATE] [--json]\n", stderr);
        return CTL_USAGE;
    }
    req = json_pack("{s:s, s:s}", "op", "requirement", "id", argv[optind]);
    if (q.as_of)
        json_object_set_new(req, "as_of", json_string(q.as_of));
    if ((rc = ask(req, &r)) != CTL_OK)
        return rc;
    if (q.json) {
        ctl_print_json(r);
    } else {
        printf("as of %s\n", json_string_value(json_object_get(r, "as_of")));
        report_requirement(stdout, json_object_get(r, "requirement"), report_colour(stdout));
    }
    json_decref(r);
    return CTL_OK;
}

int cmd_documents(int argc, char **argv)
{
    query_opts q;
    json_t *r, *req;
    int rc = parse_query(argc, argv, &q, "documents [--kind KIND] [--json]");

    if (rc != CTL_OK || optind != argc)
        return CTL_USAGE;
    req = json_pack("{s:s}", "op", "documents");
    if (q.kind)
        json_object_set_new(req, "kind", json_string(q.kind));
    if ((rc = ask(req, &r)) != CTL_OK)
        return rc;
    if (q.json)
        ctl_print_json(r);
    else
        print_documents(json_object_get(r, "documents"));
    json_decref(r);
    return CTL_OK;
}

static void print_event(const json_t *e)
{
    const char *old = json_string_value(json_object_get(e, "old_path"));
    const char *path = json_string_value(json_object_get(e, "path"));
    const char *sha = json_string_value(json_object_get(e, "sha256"));
    const char *ts = json_string_value(json_object_get(e, "ts"));
    const json_t *payload = json_object_get(e, "payload");
    const char *req = json_string_value(json_object_get(payload, "requirement"));

    printf("%6lld %-20s %-14s ", (long long)json_integer_value(json_object_get(e, "seq")),
           ts ? ts : "", json_string_value(json_object_get(e, "type")));
    if (old)
        printf("%s -> ", old);
    if (path)
        printf("%s", path);
    if (req)
        printf("%s: %s -> %s", req,
               json_string_value(json_object_get(payload, "previous")) ?
                   json_string_value(json_object_get(payload, "previous")) : "(none)",
               json_string_value(json_object_get(payload, "status")));
    else if (!path && json_string_value(json_object_get(payload, "catalog")))
        printf("catalog %.16s", json_string_value(json_object_get(payload, "catalog")));
    if (sha)
        printf("  %.12s", sha);
    putchar('\n');
}

int cmd_document(int argc, char **argv)
{
    query_opts q;
    json_t *r, *doc, *ev;
    size_t i;
    int rc = parse_query(argc, argv, &q, "document PATH [--json]");

    if (rc != CTL_OK || optind != argc - 1) {
        if (rc == CTL_OK)
            fputs("usage: evidencectl document PATH [--json]\n", stderr);
        return CTL_USAGE;
    }
    if ((rc = ask(json_pack("{s:s, s:s}", "op", "document", "path", argv[optind]), &r)) != CTL_OK)
        return rc;
    if (q.json) {
        ctl_print_json(r);
    } else {
        doc = json_object_get(r, "document");
        if (json_is_object(doc)) {
            char *fields = json_dumps(json_object_get(doc, "fields"),
                                      JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            printf("path:     %s\nkind:     %s%s%s\nlanguage: %s\ntitle:    %s\nsha256:   %s\n"
                   "fields:   %s\n",
                   json_string_value(json_object_get(doc, "path")),
                   json_string_value(json_object_get(doc, "kind")) ?
                       json_string_value(json_object_get(doc, "kind")) : "-",
                   json_string_value(json_object_get(doc, "topic")) ? "/" : "",
                   json_string_value(json_object_get(doc, "topic")) ?
                       json_string_value(json_object_get(doc, "topic")) : "",
                   json_string_value(json_object_get(doc, "language")) ?
                       json_string_value(json_object_get(doc, "language")) : "-",
                   json_string_value(json_object_get(doc, "title")) ?
                       json_string_value(json_object_get(doc, "title")) : "-",
                   json_string_value(json_object_get(doc, "sha256")),
                   fields ? fields : "{}");
            free(fields);
        } else {
            puts("(no longer in the folder)");
        }
        puts("history:");
        json_array_foreach(json_object_get(r, "history"), i, ev)
            print_event(ev);
    }
    json_decref(r);
    return CTL_OK;
}

int cmd_history(int argc, char **argv)
{
    query_opts q;
    json_t *events = json_array(), *r, *ev;
    json_int_t since, want, got;
    size_t i;
    int rc = parse_query(argc, argv, &q, "history [--since SEQ] [--limit N] [--json]");

    if (rc != CTL_OK || optind != argc) {
        json_decref(events);
        return CTL_USAGE;
    }
    since = (json_int_t)q.since;
    want = (json_int_t)(q.limit ? q.limit : 1000);
    /* The daemon answers in pages; ask from the last seq until done. */
    for (bool more = true; more && want > 0;) {
        rc = ask(json_pack("{s:s, s:I, s:I}", "op", "history", "since", since, "limit", want),
                 &r);
        if (rc != CTL_OK) {
            json_decref(events);
            return rc;
        }
        got = 0;
        json_array_foreach(json_object_get(r, "events"), i, ev) {
            json_array_append(events, ev);
            since = json_integer_value(json_object_get(ev, "seq"));
            got++;
        }
        more = json_is_true(json_object_get(r, "truncated")) && got > 0;
        want -= got;
        json_decref(r);
    }
    if (q.json) {
        r = json_pack("{s:o}", "events", events);
        ctl_print_json(r);
        json_decref(r);
    } else {
        json_array_foreach(events, i, ev)
            print_event(ev);
        json_decref(events);
    }
    return CTL_OK;
}

int cmd_watch(int argc, char **argv)
{
    conn c;
    json_t *r;
    int rc;
    bool json = argc > 1 && strcmp(argv[1], "--json") == 0;

    if (argc > 1 + json) {
        fputs("usage: evidencectl watch [--json]\n", stderr);
        return CTL_USAGE;
    }
    if (!(r = exchange(&c, json_pack("{s:s}", "op", "watch"), &rc)))
        return rc;
    json_decref(r);
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((r = read_reply(&c))) {
        json_t *ev = json_object_get(r, "event");
        if (json_is_object(ev)) {
            if (json)
                ctl_print_json(ev);
            else
                print_event(ev);
        }
        json_decref(r);
    }
    conn_close(&c);
    fputs("evidencectl: evidenced closed the connection\n", stderr);
    return CTL_UNREACHABLE;
}

int cmd_rescan(int argc, char **argv)
{
    json_t *r;
    int rc;

    (void)argv;
    if (argc != 1) {
        fputs("usage: evidencectl rescan\n", stderr);
        return CTL_USAGE;
    }
    if ((rc = ask(json_pack("{s:s}", "op", "rescan"), &r)) != CTL_OK)
        return rc;
    printf("rescan started: %lld files queued\n",
           (long long)json_integer_value(json_object_get(r, "queued")));
    json_decref(r);
    return CTL_OK;
}

int cmd_version(int argc, char **argv)
{
    json_t *r;
    int rc;

    (void)argc, (void)argv;
    printf("evidencectl %s\n", EV_VERSION);
    if ((rc = ask(json_pack("{s:s}", "op", "version"), &r)) != CTL_OK)
        return rc;
    printf("evidenced %s, catalog %.16s\n", json_string_value(json_object_get(r, "version")),
           json_string_value(json_object_get(r, "catalog")));
    json_decref(r);
    return CTL_OK;
}

/* Print a verify result ({verified, ledger: {...}, files?: {...}}); 0 or 1. */
static int show_verify(const json_t *r, bool json)
{
    const json_t *led = json_object_get(r, "ledger");
    const json_t *files = json_object_get(r, "files");
    bool good = json_is_true(json_object_get(r, "verified"));
    const json_t *item;
    size_t i;

    if (json) {
        ctl_print_json(r);
        return good ? CTL_OK : CTL_FAILED;
    }
    if (strcmp(json_string_value(json_object_get(led, "fault")), "none") == 0)
        printf("ledger: %lld events verified, head seq %lld %.16s\n",
               (long long)json_integer_value(json_object_get(led, "events")),
               (long long)json_integer_value(json_object_get(led, "head_seq")),
               json_string_value(json_object_get(led, "head_hash")));
    else
        printf("ledger: FAILED at seq %lld: %s: %s\n",
               (long long)json_integer_value(json_object_get(led, "fault_seq")),
               json_string_value(json_object_get(led, "fault")),
               json_string_value(json_object_get(led, "detail")));
    if (files) {
        printf("files: %lld checked, %zu changed, %zu missing\n",
               (long long)json_integer_value(json_object_get(files, "checked")),
               json_array_size(json_object_get(files, "changed")),
               json_array_size(json_object_get(files, "missing")));
        json_array_foreach(json_object_get(files, "changed"), i, item)
            printf("  changed: %s (recorded %.12s, now %.12s)\n",
                   json_string_value(json_object_get(item, "path")),
                   json_string_value(json_object_get(item, "recorded")),
                   json_string_value(json_object_get(item, "actual")));
        json_array_foreach(json_object_get(files, "missing"), i, item)
            printf("  missing: %s\n", json_string_value(item));
    }
    puts(good ? "verified" : "NOT VERIFIED");
    return good ? CTL_OK : CTL_FAILED;
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"state", required_argument, NULL, 's'},
        {"folder", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *state = NULL, *folder = NULL;
    bool json = false;
    json_t *r;
    int c, rc;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 's': state = optarg; break;
        case 'f': folder = optarg; break;
        default:
            fputs("usage: evidencectl verify [--state DIR [--folder DIR]] [--json]\n", stderr);
            return CTL_USAGE;
        }
    }
    if (optind != argc || (folder && !state)) {
        fputs("usage: evidencectl verify [--state DIR [--folder DIR]] [--json]\n", stderr);
        return CTL_USAGE;
    }
    if (state) {
        r = verify_offline(state, folder, &rc);
        if (!r)
            return rc;
    } else if ((rc = ask(json_pack("{s:s}", "op", "verify"), &r)) != CTL_OK) {
        return rc;
    }
    rc = show_verify(r, json);
    json_decref(r);
    return rc;
}
