/*
 * tlog.c: the daemon signs checkpoints of its ledger and will not sign on
 * top of a ledger rolled back behind it.
 *
 * The last checkpoint signed is kept outside ledger.db, in the state
 * directory (CHECKPOINT_FILE, written atomically), and logged. At start the
 * ledger must extend it: otherwise rows were cut off the end, an older
 * genuine copy was put back, or ledger.db was deleted or replaced, and the
 * daemon refuses to start until an admin runs `evidenced --accept-rollback`,
 * which records that in the ledger. Then a checkpoint is signed at once,
 * and again after each batch of events, at most once a second. Before each
 * signing the ledger file must still be the one the daemon opened: a copy
 * swapped in under it stops the daemon, and the next start names the
 * checkpoint that copy fails to extend.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "evidenced.h"
#include "statefile.h"
#include "statelock.h"

#define SIGN_INTERVAL_MS 1000

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static ev_code db_identity(const char *state, dev_t *dev, ino_t *ino, ev_error *err)
{
    struct stat st;
    char *db = ev_asprintf("%s/%s", state, LEDGER_DB_FILE);
    int rc = stat(db, &st);
    int why = errno;
    free(db);
    if (rc != 0)
        return ev_fail(err, EV_EIO, "%s/%s: %s", state, LEDGER_DB_FILE, strerror(why));
    *dev = st.st_dev;
    *ino = st.st_ino;
    return EV_OK;
}

/*
 * The last checkpoint of state_dir, checked with the key: *have is false
 * when there is none yet (a first start). A file that is there but does
 * not read as our checkpoint is an error, not "none".
 */
static ev_code load_last(const char *state, const signer *s, checkpoint *c, char **note,
                         bool *have, ev_error *err)
{
    vkey k;
    signer_vkey(s, &k);
    char *path = ev_asprintf("%s/%s", state, CHECKPOINT_FILE);
    ev_code rc = checkpoint_load(path, &k, c, note, err);
    free(path);
    *have = rc == EV_OK;
    if (rc == EV_ENOTFOUND) {
        ev_error_clear(err);
        rc = EV_OK;
    }
    return rc;
}

/*
 * Whether state/ledger.db extends the last checkpoint (true when there is
 * none), read through a handle of its own, before the writer opens it: the
 * writer's own checks would name a symptom (a head that does not match),
 * not the checkpoint, and would create a ledger where none is left.
 */
static ev_code check_extends(const char *state, const signer *s, checkpoint *last, char **note,
                             bool *have, bool *extends, ev_error *err)
{
    ledger *r = NULL;
    struct stat st;
    *extends = true;
    ev_code rc = load_last(state, s, last, note, have, err);
    if (rc != EV_OK || !*have)
        return rc;
    char *db = ev_asprintf("%s/%s", state, LEDGER_DB_FILE);
    if (stat(db, &st) != 0 && errno == ENOENT)
        *extends = false;
    else if ((rc = ledger_open_reader(db, &r, err)) == EV_OK)
        rc = checkpoint_extended_by(r, &last->head, extends, err);
    ledger_close(r);
    free(db);
    return rc;
}

/* Sign the ledger's tree as it is now, keep the note, log it. */
static ev_code sign_now(const char *state, const signer *s, ledger *l, char **note_out,
                        ledger_tree_head *head, ev_error *err)
{
    int64_t seq = 0;
    char *note = NULL;
    ev_code rc = ledger_head(l, &seq, NULL, err);
    if (rc == EV_OK) {
        head->size = (uint64_t)seq;
        rc = ledger_tree_root(l, head->size, head->root, err);
    }
    if (rc == EV_OK)
        rc = checkpoint_sign(s, head, &note, err);
    if (rc == EV_OK)
        rc = statefile_write(state, CHECKPOINT_FILE, note, strlen(note), 0644, err);
    if (rc != EV_OK) {
        free(note);
        return rc;
    }
    /* The journal keeps every checkpoint: one line that gives the note back. */
    const char *sig = strstr(note, "\n\n");
    char root[CHECKPOINT_B64_LEN];
    checkpoint_root_base64(head->root, root);
    ev_log(EV_LOG_INFO, "checkpoint: %" PRIu64 " events, root %s, signature %.*s", head->size,
           root, sig ? (int)strcspn(sig + 2, "\n") : 0, sig ? sig + 2 : "");
    free(*note_out);
    *note_out = note;
    return EV_OK;
}

static void refuse(const char *state, const ledger_tree_head *head)
{
    char what[CHECKPOINT_DESCRIPTION_MAX];
    checkpoint_describe(head, what);
    ev_log(EV_LOG_ERR, "%s/%s does not extend %s that this daemon signed last (%s/%s): "
           "events were cut off its end, an older copy was put back, or it was deleted or "
           "replaced. Refusing to sign on top of it. Restore the ledger that extends the "
           "checkpoint, or record that you accept the loss with evidenced --accept-rollback "
           "(see evidenced(8))", state, LEDGER_DB_FILE, what, state, CHECKPOINT_FILE);
}

static void on_sign_timer(loop *l, void *arg)
{
    evd *d = arg;
    ev_error err;
    dev_t dev = 0;
    ino_t ino = 0;
    bool extends = false;
    int64_t seq = 0;

    (void)l;
    d->checkpoint_armed = false;
    ev_error_clear(&err);
    if (ledger_head(d->led, &seq, NULL, &err) != EV_OK)
        goto fail;
    if ((uint64_t)seq == d->checkpoint.size)
        return;
    if (db_identity(d->cfg.state, &dev, &ino, &err) != EV_OK)
        goto fail;
    if (dev != d->db_dev || ino != d->db_ino) {
        ev_log(EV_LOG_ERR, "%s/%s is no longer the file this daemon opened: it was replaced "
               "under it. Stopping without signing; the next start checks it against the "
               "last checkpoint", d->cfg.state, LEDGER_DB_FILE);
        goto stop;
    }
    if (checkpoint_extended_by(d->led, &d->checkpoint, &extends, &err) != EV_OK)
        goto fail;
    if (!extends) {
        refuse(d->cfg.state, &d->checkpoint);
        goto stop;
    }
    if (sign_now(d->cfg.state, d->sig, d->led, &d->checkpoint_note, &d->checkpoint, &err) != EV_OK)
        goto fail;
    d->checkpoint_ms = now_ms();
    return;
fail:
    ev_log(EV_LOG_ERR, "checkpoint: %s", err.message);
stop:
    d->failed = true;
    d->stopping = true;
    loop_stop(d->l);
}

bool tlog_check(const char *state, const signer *s)
{
    checkpoint last;
    bool have = false, extends = true;
    ev_error err;
    ev_error_clear(&err);
    ev_code rc = check_extends(state, s, &last, NULL, &have, &extends, &err);
    if (rc != EV_OK) {
        ev_log(EV_LOG_ERR, "cannot check the ledger against its last checkpoint: %s",
               err.message);
        if (have)
            refuse(state, &last.head);
        return false;
    }
    if (!extends)
        refuse(state, &last.head);
    return extends;
}

ev_code tlog_start(evd *d, ev_error *err)
{
    ev_code rc = db_identity(d->cfg.state, &d->db_dev, &d->db_ino, err);
    if (rc == EV_OK)
        rc = sign_now(d->cfg.state, d->sig, d->led, &d->checkpoint_note, &d->checkpoint, err);
    if (rc != EV_OK)
        return rc;
    d->checkpoint_ms = now_ms();
    d->checkpoint_timer = loop_timer_new(d->l, false, on_sign_timer, d);
    if (!d->checkpoint_timer)
        return ev_fail(err, EV_EIO, "checkpoint timer: %s", strerror(errno));
    return EV_OK;
}

void tlog_schedule(evd *d)
{
    if (!d->checkpoint_timer || d->checkpoint_armed)
        return;
    uint64_t next = d->checkpoint_ms + SIGN_INTERVAL_MS, now = now_ms();
    /* 0 would disarm: a timer due now fires after a millisecond. */
    if (loop_timer_arm(d->checkpoint_timer, next > now ? next - now : 1, 0) == 0)
        d->checkpoint_armed = true;
}

void tlog_stop(evd *d)
{
    loop_timer_free(d->checkpoint_timer);
    d->checkpoint_timer = NULL;
    free(d->checkpoint_note);
    d->checkpoint_note = NULL;
}

int tlog_accept_rollback(const config *cfg)
{
    int lock_fd = -1, status = 1;
    signer *s = NULL;
    ledger *l = NULL;
    checkpoint last;
    char *old_note = NULL, *new_note = NULL;
    bool have = false, extends = false;
    ledger_tree_head head;
    int64_t seq = 0;
    ev_error err;

    ev_error_clear(&err);
    if (statelock_take(cfg->state, &lock_fd, &err) != EV_OK ||
        signer_open(cfg->state, &s, &err) != EV_OK)
        goto fail;
    /* An unreadable checkpoint file is accepted as lost too. */
    if (check_extends(cfg->state, s, &last, &old_note, &have, &extends, &err) != EV_OK) {
        ev_log(EV_LOG_WARNING, "%s; accepting it as lost", err.message);
        ev_error_clear(&err);
        extends = false;
    }
    if (ledger_open(cfg->state, s, &l, &err) != EV_OK)
        goto fail;
    if (extends) {
        printf("evidenced: the ledger extends the last checkpoint; there is no rollback to "
               "accept\n");
        status = 0;
        goto out;
    }
    {
        char what[CHECKPOINT_DESCRIPTION_MAX], root[CHECKPOINT_B64_LEN];
        const char *who = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
        if (ledger_head(l, &seq, NULL, &err) != EV_OK)
            goto fail;
        json_t *p = json_object();
        if (have) {
            checkpoint_root_base64(last.head.root, root);
            json_object_set_new(p, "checkpoint", json_pack("{s:s, s:I, s:s, s:s}", "origin",
                                last.origin, "size", (json_int_t)last.head.size, "root", root,
                                "note", old_note));
            checkpoint_describe(&last.head, what);
        } else {
            json_object_set_new(p, "checkpoint", json_null());
            snprintf(what, sizeof what, "an unreadable checkpoint");
        }
        json_object_set_new(p, "ledger_size", json_integer(seq));
        json_object_set_new(p, "by", who ? json_string(who) : json_null());
        char *text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(p);
        ev_code rc = text ? ledger_record_rollback_accepted(l, text, &seq, &err)
                          : ev_fail(&err, EV_EINVAL, "the user name is not UTF-8");
        free(text);
        if (rc != EV_OK || sign_now(cfg->state, s, l, &new_note, &head, &err) != EV_OK)
            goto fail;
        ev_log(EV_LOG_NOTICE, "rollback accepted%s%s: the ledger did not extend %s; recorded "
               "as event %lld, and a new checkpoint of %" PRIu64 " events signed",
               who ? " by " : "", who ? who : "", what, (long long)seq, head.size);
        printf("evidenced: recorded as event %lld that the ledger did not extend %s;\n"
               "the new checkpoint is of %" PRIu64 " events\n", (long long)seq, what, head.size);
        status = 0;
        goto out;
    }
fail:
    ev_log(EV_LOG_ERR, "--accept-rollback: %s", err.message);
out:
    free(old_note);
    free(new_note);
    ledger_close(l);
    signer_close(s);
    if (lock_fd >= 0)
        close(lock_fd);
    return status;
}
