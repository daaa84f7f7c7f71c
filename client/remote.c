/*
 * remote.c: the commands that ask the daemon, over its Unix socket: one
 * JSON request line, one JSON reply line (watch: a stream of them).
 * Exit 3 when the daemon cannot be reached, 1 when it answers with an
 * error, 2 for usage errors.
 */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "date.h"
#include "ev.h"
#include "report.h"
#include "safe.h"

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
        int why = errno;
        char *shown = safe_strdup(ctl_opts.socket);
        fprintf(stderr, "evidencectl: cannot reach evidenced at %s: %s\n", shown,
                strerror(why));
        free(shown);
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

/* Whether r is the daemon's "busy": its reply buffers are full, or it
 * turned the connection away (all its slots, or this user's share, taken). */
static bool is_busy(const json_t *r)
{
    const char *code = json_string_value(json_object_get(json_object_get(r, "error"), "code"));
    return code && strcmp(code, "busy") == 0;
}

/* Whether r is "busy" and there is time left to ask again: then wait a
 * little, longer each time (50 ms doubling to 1 s). */
static bool busy_wait(const json_t *r, unsigned *waited_ms)
{
    unsigned ms = *waited_ms < 50 ? 50 : *waited_ms < 1000 ? *waited_ms : 1000;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    if (!is_busy(r) || *waited_ms >= BUSY_RETRY_MS)
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
    bool sent;
    json_t *r;

    for (;;) {
        if ((*rc = connect_daemon(c)) != CTL_OK) {
            json_decref(req);
            return NULL;
        }
        /* A daemon that turns the connection away answers "busy" at once
         * and closes: the request may then fail to go, but the answer is
         * there to read, so read before judging. */
        sent = send_request(c, json_incref(req));
        if (!(r = read_reply(c)) || (!sent && !is_busy(r))) {
            json_decref(r);
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
        safe_json(e);
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
int ctl_ask(json_t *req, json_t **reply)
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
    bool all;               /* every item of long evidence lists */
    const char *as_of;
    const char *kind;
    const char *topic;
    long long since;
    long long limit;        /* 0: not given */
} query_opts;

/* parse_query's answer when the command should go on and ask the daemon. */
enum { QUERY_GO = -1 };

static bool parse_count(const char *text, long long *out)
{
    char *end;

    errno = 0;
    *out = strtoll(text, &end, 10);
    return !errno && end != text && !*end && *out >= 0;
}

/*
 * Parse the options of `command` (each a letter of `allowed`: j --json,
 * b --brief, A --all, a --as-of, k --kind, t --topic, S --since, l --limit) and check that
 * exactly nargs arguments follow them. QUERY_GO when the command should
 * run, else the exit status: CTL_OK after --help, CTL_USAGE after a usage
 * error (explained on stderr).
 */
static int parse_query(int argc, char **argv, query_opts *q, const char *command,
                       const char *allowed, int nargs)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"brief", no_argument, NULL, 'b'},
        {"all", no_argument, NULL, 'A'},
        {"as-of", required_argument, NULL, 'a'},
        {"kind", required_argument, NULL, 'k'},
        {"topic", required_argument, NULL, 't'},
        {"since", required_argument, NULL, 'S'},
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, which;

    memset(q, 0, sizeof *q);
    while ((c = getopt_long(argc, argv, "", opts, &which)) != -1) {
        if (c == 'h')
            return ctl_help(command);
        if (c == '?')
            return ctl_usage(command);
        if (!strchr(allowed, c)) {
            fprintf(stderr, "evidencectl: %s does not take --%s\n", command,
                    opts[which].name);
            return ctl_usage(command);
        }
        switch (c) {
        case 'j': q->json = true; break;
        case 'b': q->brief = true; break;
        case 'A': q->all = true; break;
        case 'a': q->as_of = optarg; break;
        case 'k': q->kind = optarg; break;
        case 't': q->topic = optarg; break;
        case 'S':
            if (!parse_count(optarg, &q->since)) {
                fputs("evidencectl: --since takes a ledger sequence number (0 or more), "
                      "not '", stderr);
                safe_fputs(optarg, stderr);
                fputs("'\n", stderr);
                return ctl_usage(command);
            }
            break;
        case 'l':
            if (!parse_count(optarg, &q->limit) || q->limit == 0) {
                fputs("evidencectl: --limit takes a count of at least 1\n", stderr);
                return ctl_usage(command);
            }
            break;
        }
    }
    if (argc - optind != nargs)
        return ctl_usage(command);
    if (q->brief && !q->json) {
        fputs("evidencectl: --brief goes with --json\n", stderr);
        return ctl_usage(command);
    }
    /* The daemon would refuse a bad date too, but as its error (exit 1). */
    if (q->as_of && !ctl_as_of_valid(q->as_of))
        return ctl_usage(command);
    return QUERY_GO;
}

/* For commands without options but --help: QUERY_GO or the exit status. */
static int parse_plain(int argc, char **argv, const char *command)
{
    query_opts q;
    return parse_query(argc, argv, &q, command, "", 0);
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
    catalog *cat;
    int rc = parse_query(argc, argv, &q, "status", "jbAa", 0);

    if (rc != QUERY_GO)
        return rc;
    req = json_pack("{s:s, s:b}", "op", "status", "documents", q.json && !q.brief);
    if (q.as_of)
        json_object_set_new(req, "as_of", json_string(q.as_of));
    if ((rc = ctl_ask(req, &r)) != CTL_OK)
        return rc;
    if (q.json) {
        ctl_print_json(r);
    } else {
        safe_json(r);
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
        if (json_is_object(json_object_get(progress, "verifying"))) {
            const json_t *v = json_object_get(progress, "verifying");
            json_int_t total = json_integer_value(json_object_get(v, "files_total"));
            if (total < 0)
                printf(" (verifying: the ledger)");
            else
                printf(" (verifying: %lld of %lld files)",
                       (long long)json_integer_value(json_object_get(v, "files_checked")),
                       (long long)total);
        }
        if (json_is_object(json_object_get(progress, "reading_scans"))) {
            const json_t *o = json_object_get(progress, "reading_scans");
            printf(" (reading scans: %lld of %lld pages)",
                   (long long)json_integer_value(json_object_get(o, "pages_read")),
                   (long long)json_integer_value(json_object_get(o, "pages_total")));
        }
        printf("; ledger seq %lld, head %.16s\n",
               (long long)json_integer_value(json_object_get(led, "seq")),
               json_string_value(json_object_get(led, "hash")) ?
                   json_string_value(json_object_get(led, "hash")) : "");
        /* Files the ledger does not cover must not go unnoticed. */
        if (json_integer_value(json_object_get(progress, "skipped")) > 0)
            printf("%lld files left out of the ledger (unreadable, not regular files, "
                   "names that are not UTF-8, or folders nested too deep): the daemon's log "
                   "names them\n",
                   (long long)json_integer_value(json_object_get(progress, "skipped")));
        putchar('\n');
        /* For the note that lists the categories when none is declared. */
        cat = json_array_size(json_object_get(r, "categories")) ? NULL : ctl_load_catalog(true);
        report_evaluation(stdout, r, cat, report_colour(stdout), q.all);
        catalog_free(cat);
    }
    json_decref(r);
    return CTL_OK;
}

int cmd_requirement(int argc, char **argv)
{
    query_opts q;
    json_t *r, *req;
    int rc = parse_query(argc, argv, &q, "requirement", "jAa", 1);

    if (rc != QUERY_GO)
        return rc;
    req = json_pack("{s:s, s:s}", "op", "requirement", "id", argv[optind]);
    if (q.as_of)
        json_object_set_new(req, "as_of", json_string(q.as_of));
    if ((rc = ctl_ask(req, &r)) != CTL_OK)
        return rc;
    if (q.json) {
        ctl_print_json(r);
    } else {
        safe_json(r);
        printf("as of %s\n", json_string_value(json_object_get(r, "as_of")));
        report_requirement(stdout, json_object_get(r, "requirement"), report_colour(stdout),
                           q.all);
    }
    json_decref(r);
    return CTL_OK;
}

/*
 * Whether kind (and topic, when not NULL) are a kind and a procedure topic
 * of the catalog; lists those there are on stderr when not. A catalog the
 * client cannot load (installed elsewhere than the daemon's) validates
 * nothing: the daemon's answer stands.
 */
static bool known_kind(const char *kind, const char *topic)
{
    catalog *cat = ctl_load_catalog(true);
    bool known = !cat || catalog_kind(cat, kind);

    if (!known) {
        fputs("evidencectl: --kind: '", stderr);
        safe_fputs(kind, stderr);
        fputs("' is not a kind of the catalog; the kinds are:", stderr);
        for (size_t i = 0; i < catalog_kind_count(cat); i++)
            fprintf(stderr, "%s %s", i ? "," : "", catalog_kind_at(cat, i)->id);
        fputc('\n', stderr);
    } else if (cat && topic && !catalog_topic(cat, topic)) {
        known = false;
        fputs("evidencectl: --topic: '", stderr);
        safe_fputs(topic, stderr);
        fputs("' is not a procedure topic of the catalog; the topics are:", stderr);
        for (size_t i = 0; i < catalog_topic_count(cat); i++)
            fprintf(stderr, "%s %s", i ? "," : "", catalog_topic_at(cat, i)->id);
        fputc('\n', stderr);
    }
    catalog_free(cat);
    return known;
}

/* Keep the documents of `topic` only. */
static void only_topic(json_t *docs, const char *topic)
{
    for (size_t i = json_array_size(docs); i-- > 0;) {
        const char *t = json_string_value(json_object_get(json_array_get(docs, i), "topic"));
        if (!t || strcmp(t, topic) != 0)
            json_array_remove(docs, i);
    }
}

int cmd_documents(int argc, char **argv)
{
    query_opts q;
    json_t *r, *req;
    char *kind = NULL;
    const char *slash;
    int rc = parse_query(argc, argv, &q, "documents", "jkt", 0);

    if (rc != QUERY_GO)
        return rc;
    /* A procedure's kind is shown as kind/topic: take it back that way. */
    if (q.kind && (slash = strchr(q.kind, '/')) != NULL) {
        if (q.topic && strcmp(q.topic, slash + 1) != 0) {
            fputs("evidencectl: --kind names one topic and --topic another\n", stderr);
            return ctl_usage("documents");
        }
        q.topic = slash + 1;
        kind = ev_strndup(q.kind, (size_t)(slash - q.kind));
    } else if (q.kind) {
        kind = ev_strdup(q.kind);
    }
    if ((kind && !known_kind(kind, q.topic)) || (!kind && q.topic &&
                                                 !known_kind("procedure", q.topic))) {
        free(kind);
        return CTL_USAGE;
    }
    req = json_pack("{s:s}", "op", "documents");
    if (kind)
        json_object_set_new(req, "kind", json_string(kind));
    free(kind);
    if ((rc = ctl_ask(req, &r)) != CTL_OK)
        return rc;
    /* The daemon filters by kind; topics are few, so filtered here. */
    if (q.topic)
        only_topic(json_object_get(r, "documents"), q.topic);
    if (q.json) {
        ctl_print_json(r);
    } else {
        safe_json(r);
        print_documents(json_object_get(r, "documents"));
    }
    json_decref(r);
    return CTL_OK;
}

/* One ledger event as one line; its strings already escaped (safe_json). */
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

/* An amount {value, currency} as "1,234,567.80 CNY". */
static void print_amount(const json_t *amount)
{
    char number[REPORT_AMOUNT_LEN];

    printf("%s %s", report_amount_text(json_object_get(amount, "value"), number),
           json_string_value(json_object_get(amount, "currency")));
}

static bool is_amount(const json_t *v)
{
    return json_is_object(v) && json_object_size(v) == 2 &&
           json_is_number(json_object_get(v, "value")) &&
           json_is_string(json_object_get(v, "currency"));
}

/* A field value on the rest of a line: strings and dates as they are,
 * amounts with their currency, lists joined with ", ", records (an entry
 * of a resume's experience) as "name: value" pairs. */
static void print_value(const json_t *v)
{
    const json_t *item;
    const char *name;
    size_t i;

    if (json_is_string(v)) {
        fputs(json_string_value(v), stdout);
    } else if (is_amount(v)) {
        print_amount(v);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item) {
            fputs(i ? ", " : "", stdout);
            print_value(item);
        }
    } else if (json_is_object(v)) {
        i = 0;
        json_object_foreach((json_t *)v, name, item) {
            printf("%s%s: ", i++ ? ", " : "", name);
            print_value(item);
        }
    } else if (json_is_boolean(v)) {
        fputs(json_is_true(v) ? "yes" : "no", stdout);
    } else if (json_is_number(v)) {
        char *text = json_dumps(v, JSON_ENCODE_ANY);
        fputs(text ? text : "", stdout);
        free(text);
    } else {
        fputs("-", stdout);
    }
}

/* Where a field was read, for a reviewer to check the value at a glance:
 * '    from block 12: "The total Contract Price ... is RMB 268,000.00"'. */
static void print_source(const json_t *src)
{
    const char *text = json_string_value(json_object_get(src, "text"));

    if (!text)
        return;
    printf("    from block %lld: \"%s\"",
           (long long)json_integer_value(json_object_get(src, "block")), text);
    if (json_is_integer(json_object_get(src, "confidence")))
        printf(" (read by OCR, confidence %lld%%)",
               (long long)json_integer_value(json_object_get(src, "confidence")));
    putchar('\n');
}

/* The fields, one "name: value" line each with where it was read below
 * it (the record's sources); a list of records one line per record below
 * its name. */
static void print_fields(const json_t *fields, const json_t *sources)
{
    const char *name;
    const json_t *v, *item;
    size_t i;

    json_object_foreach((json_t *)fields, name, v) {
        bool records = json_is_object(json_array_get(v, 0)) && !is_amount(json_array_get(v, 0));
        printf("  %s:", name);
        if (!records) {
            putchar(' ');
            print_value(v);
        }
        putchar('\n');
        print_source(json_object_get(sources, name));
        if (records) {
            json_array_foreach(v, i, item) {
                fputs("    - ", stdout);
                print_value(item);
                putchar('\n');
            }
        }
    }
}

static const char *or_dash(const json_t *doc, const char *name)
{
    const char *s = json_string_value(json_object_get(doc, name));
    return s ? s : "-";
}

#define CST_SUFFIX " +08:00"
/* "YYYY-MM-DD HH:MM:SS +08:00" plus the NUL. */
#define SIGNING_TIME_LEN (EV_INSTANT_STRLEN + sizeof CST_SUFFIX - 1)

/* A signing time as Beijing time (UTC+8), the zone signed_on is dated in;
 * as stored when it is not the stored form, "-" when unknown. */
static const char *signing_time(const char *at, char local[SIGNING_TIME_LEN])
{
    ev_date day;

    if (!at)
        return "-";
    if (!ev_instant_cst(at, &day, local))
        return at;
    strcat(local, CST_SUFFIX);
    return local;
}

/* How a scan was read, so nobody takes OCR text for the file's own. */
static void print_ocr(const json_t *ocr)
{
    size_t i;
    const json_t *seal;

    if (!json_is_object(ocr))
        return;
    printf("scanned:  read by OCR, confidence %lld%% (%lld pages, %s, %s)\n",
           (long long)json_integer_value(json_object_get(ocr, "confidence")),
           (long long)json_integer_value(json_object_get(ocr, "pages")),
           or_dash(ocr, "engine"), or_dash(ocr, "languages"));
    json_array_foreach(json_object_get(ocr, "seals"), i, seal)
        if (json_is_string(seal))
            printf("seal:     %s\n", json_string_value(seal));
}

/* The electronic signatures, a few lines each: who, when, what poppler
 * found of the digest and the certificate, and whether the signature
 * covers the whole file. Strings are already escaped (safe_json). */
static void print_signatures(const json_t *sigs)
{
    char local[SIGNING_TIME_LEN];
    const json_t *s;
    size_t i;

    if (json_array_size(sigs) == 0)
        return;
    puts("signatures:");
    json_array_foreach((json_t *)sigs, i, s) {
        printf("  - signer:      %s\n    signed at:   %s\n    status:      %s\n"
               "    certificate: %s\n    %s\n", or_dash(s, "signer"),
               signing_time(json_string_value(json_object_get(s, "signed_at")), local),
               or_dash(s, "status"), or_dash(s, "certificate"),
               json_is_true(json_object_get(s, "covers_whole"))
                   ? "covers the whole file" : "the file was changed after this signature");
    }
}

static void print_document(const json_t *r)
{
    const json_t *doc = json_object_get(r, "document"), *ev;
    const char *topic = json_string_value(json_object_get(doc, "topic"));
    size_t i;

    if (json_is_object(doc)) {
        const json_t *error = json_object_get(doc, "error");
        printf("path:     %s\nkind:     %s%s%s\nlanguage: %s\ntitle:    %s\nsha256:   %s\n",
               or_dash(doc, "path"), or_dash(doc, "kind"), topic ? "/" : "",
               topic ? topic : "", or_dash(doc, "language"), or_dash(doc, "title"),
               or_dash(doc, "sha256"));
        /* Why a rejected file has no kind and no fields: its code says. */
        if (error)
            printf("rejected: %s: %s\n", or_dash(error, "code"), or_dash(error, "message"));
        print_ocr(json_object_get(doc, "ocr"));
        puts("fields:");
        print_fields(json_object_get(doc, "fields"), json_object_get(doc, "sources"));
        print_signatures(json_object_get(doc, "signatures"));
    } else {
        puts("(no longer in the folder)");
    }
    puts("history:");
    json_array_foreach(json_object_get(r, "history"), i, ev)
        print_event(ev);
}

/* path with its directory resolved (realpath), so that a link in it or a
 * deleted file still names its place; as given when that fails. */
static char *absolute_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == path ? ev_strdup("/") : ev_strndup(path, (size_t)(slash - path));
    char *real = realpath(dir, NULL), *abs;

    abs = real ? ev_asprintf("%s%s%s", real, strcmp(real, "/") ? "/" : "", slash + 1)
               : ev_strdup(path);
    free(real);
    free(dir);
    return abs;
}

/*
 * The daemon keys documents by their path in the watched folder. An
 * absolute or ./ path is made relative to that folder (asked of the
 * daemon); *rel is the path to ask about. CTL_OK, or the exit status.
 */
int ctl_folder_relative(const char *arg, char **rel)
{
    json_t *r;
    char *abs, *folder, *shown, *cwd_arg = NULL;
    size_t n;
    int rc;

    if (arg[0] != '/' && strncmp(arg, "./", 2) != 0) {
        *rel = ev_strdup(arg);
        return CTL_OK;
    }
    if ((rc = ctl_ask(json_pack("{s:s, s:b}", "op", "status", "documents", 0), &r)) != CTL_OK)
        return rc;
    folder = realpath(json_string_value(json_object_get(r, "watch")), NULL);
    if (!folder)
        folder = ev_strdup(json_string_value(json_object_get(r, "watch")));
    json_decref(r);
    if (arg[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        cwd_arg = ev_asprintf("%s/%s", cwd ? cwd : ".", arg + 2);
        free(cwd);
    }
    abs = absolute_path(cwd_arg ? cwd_arg : arg);
    n = strlen(folder);
    if (strncmp(abs, folder, n) == 0 && abs[n] == '/' && abs[n + 1]) {
        *rel = ev_strdup(abs + n + 1);
        rc = CTL_OK;
    } else {
        shown = safe_strdup(abs);
        fprintf(stderr, "evidencectl: %s is not in the watched folder ", shown);
        safe_fputs(folder, stderr);
        fputc('\n', stderr);
        free(shown);
        rc = CTL_USAGE;
    }
    free(abs);
    free(cwd_arg);
    free(folder);
    return rc;
}

int cmd_document(int argc, char **argv)
{
    query_opts q;
    json_t *r;
    char *rel;
    int rc = parse_query(argc, argv, &q, "document", "j", 1);

    if (rc != QUERY_GO)
        return rc;
    if ((rc = ctl_folder_relative(argv[optind], &rel)) != CTL_OK)
        return rc;
    rc = ctl_ask(json_pack("{s:s, s:s}", "op", "document", "path", rel), &r);
    free(rel);
    if (rc != CTL_OK)
        return rc;
    if (q.json) {
        ctl_print_json(r);
    } else {
        safe_json(r);
        print_document(r);
    }
    json_decref(r);
    return CTL_OK;
}

int cmd_history(int argc, char **argv)
{
    query_opts q;
    json_t *events, *r, *ev;
    json_int_t since, want, got;
    size_t i;
    int rc = parse_query(argc, argv, &q, "history", "jSl", 0);

    if (rc != QUERY_GO)
        return rc;
    events = json_array();
    since = (json_int_t)q.since;
    want = (json_int_t)(q.limit ? q.limit : 1000);
    /* The daemon answers in pages; ask from the last seq until done. */
    for (bool more = true; more && want > 0;) {
        rc = ctl_ask(json_pack("{s:s, s:I, s:I}", "op", "history", "since", since, "limit", want),
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
        safe_json(events);
        json_array_foreach(events, i, ev)
            print_event(ev);
        json_decref(events);
    }
    return CTL_OK;
}

int cmd_watch(int argc, char **argv)
{
    query_opts q;
    conn c;
    json_t *r;
    int rc = parse_query(argc, argv, &q, "watch", "j", 0);

    if (rc != QUERY_GO)
        return rc;
    if (!(r = exchange(&c, json_pack("{s:s}", "op", "watch"), &rc)))
        return rc;
    json_decref(r);
    setvbuf(stdout, NULL, _IOLBF, 0);
    while ((r = read_reply(&c))) {
        json_t *ev = json_object_get(r, "event");
        if (json_is_object(ev)) {
            if (q.json) {
                ctl_print_json(ev);
            } else {
                safe_json(ev);
                print_event(ev);
            }
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
    int rc = parse_plain(argc, argv, "rescan");

    if (rc != QUERY_GO)
        return rc;
    if ((rc = ctl_ask(json_pack("{s:s}", "op", "rescan"), &r)) != CTL_OK)
        return rc;
    printf("rescan started: %lld files queued\n",
           (long long)json_integer_value(json_object_get(r, "queued")));
    json_decref(r);
    return CTL_OK;
}

int cmd_version(int argc, char **argv)
{
    json_t *r;
    int rc = parse_plain(argc, argv, "version");

    if (rc != QUERY_GO)
        return rc;
    printf("evidencectl %s\n", EV_VERSION);
    if ((rc = ctl_ask(json_pack("{s:s}", "op", "version"), &r)) != CTL_OK)
        return rc;
    safe_json(r);
    printf("evidenced %s, catalog %.16s\n", json_string_value(json_object_get(r, "version")),
           json_string_value(json_object_get(r, "catalog")));
    json_decref(r);
    return CTL_OK;
}

/* Print a verify result ({verified, ledger: {...}, files?: {...}}); 0 or 1. */
static int show_verify(json_t *r, bool json)
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
    safe_json(r);
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
    if (json_is_object(json_object_get(led, "checkpoint"))) {
        const char *fault = json_string_value(json_object_get(led, "fault"));
        printf("checkpoint: the ledger %s the last one signed, of %lld events\n",
               strcmp(fault, "none") == 0       ? "extends"
               : strcmp(fault, "rollback") == 0 ? "does NOT extend"
                                                : "was not held to",
               (long long)json_integer_value(
                   json_object_get(json_object_get(led, "checkpoint"), "size")));
    }
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
        {"help", no_argument, NULL, 'h'},
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
        case 'h': return ctl_help("verify");
        default: return ctl_usage("verify");
        }
    }
    if (optind != argc || (folder && !state))
        return ctl_usage("verify");
    if (state) {
        r = verify_offline(state, folder, &rc);
        if (!r)
            return rc;
    } else if ((rc = ctl_ask(json_pack("{s:s}", "op", "verify"), &r)) != CTL_OK) {
        return rc;
    }
    rc = show_verify(r, json);
    json_decref(r);
    return rc;
}
