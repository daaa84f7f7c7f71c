/* verify.c: the ledger check plus a re-hash of the recorded files. */
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "checkpoint.h"
#include "ledger.h"
#include "sha256.h"

typedef struct files_check {
    int root_fd;
    int64_t checked;
    json_t *changed, *missing;
} files_check;

/* The recorded files, read out of the ledger before any is hashed: reading
 * them takes minutes on a large folder, and a read transaction held that
 * long would keep the daemon's writes from being checkpointed. */
typedef struct recorded {
    struct recorded_file {
        char *path;
        char sha256[LEDGER_HEX_LEN + 1];
    } *v;
    size_t n, cap;
} recorded;

static int collect_file(void *ctx, const ledger_file *f)
{
    recorded *r = ctx;

    r->v = ev_grow(r->v, &r->cap, r->n + 1, sizeof *r->v);
    r->v[r->n].path = ev_strdup(f->path);
    snprintf(r->v[r->n].sha256, sizeof r->v[r->n].sha256, "%s", f->sha256);
    r->n++;
    return 0;
}

static void recorded_free(recorded *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].path);
    free(r->v);
}

static void check_file(files_check *fc, const struct recorded_file *f)
{
    char sha[EV_SHA256_HEX_LEN + 1];
    struct stat st;
    int fd;

    fc->checked++;
    /* Beneath the folder as the daemon read it: a folder on the way
     * replaced by a symbolic link (to a copy) is not the recorded file. */
    fd = ev_open_beneath(fc->root_fd, f->path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        ev_sha256_fd_hex(fd, sha, NULL) != 0) {
        json_array_append_new(fc->missing, json_string(f->path));
        if (fd >= 0)
            close(fd);
        return;
    }
    close(fd);
    if (strcmp(sha, f->sha256) != 0)
        json_array_append_new(fc->changed, json_pack("{s:s, s:s, s:s}", "path", f->path,
                                                     "recorded", f->sha256, "actual", sha));
}

/* The state directory's last checkpoint, checked with the key; *have is
 * false when there is none. */
static ev_code state_checkpoint(const char *state_dir, const signer *pub, ledger_tree_head *head,
                                bool *have, ev_error *err)
{
    vkey k;
    checkpoint c;
    signer_vkey(pub, &k);
    char *path = ev_asprintf("%s/%s", state_dir, CHECKPOINT_FILE);
    ev_code rc = checkpoint_load(path, &k, &c, NULL, err);
    free(path);
    *have = rc == EV_OK;
    if (rc == EV_OK)
        *head = c.head;
    if (rc == EV_ENOTFOUND) {
        ev_error_clear(err);
        rc = EV_OK;
    }
    return rc;
}

static json_t *tree_json(uint64_t size, const merkle_hash root)
{
    char b64[CHECKPOINT_B64_LEN];
    checkpoint_root_base64(root, b64);
    return json_pack("{s:I, s:s}", "size", (json_int_t)size, "root", b64);
}

json_t *verify_run(const char *state_dir, const signer *pub, int root_fd, int64_t expect_seq,
                   const char *expect_hash, const ledger_tree_head *expect_tree,
                   verify_progress *progress, ev_error *err)
{
    ledger_tree_head from_state;
    bool have_state = false;
    char *db = ev_asprintf("%s/%s", state_dir, LEDGER_DB_FILE);
    signer *loaded = NULL;
    ledger_verify_report rep;
    ledger *reader = NULL;
    json_t *result = NULL, *files = NULL;
    bool good;

    if (!pub) {
        char *key = ev_asprintf("%s/ledger.pub", state_dir);
        ev_code rc = signer_load_public(key, &loaded, err);
        free(key);
        if (rc != EV_OK)
            goto out;
        pub = loaded;
    }
    if (!expect_tree) {
        if (state_checkpoint(state_dir, pub, &from_state, &have_state, err) != EV_OK)
            goto out;
        expect_tree = have_state ? &from_state : NULL;
    }
    struct stat st;
    if (expect_tree && expect_tree->size > 0 && stat(db, &st) != 0 && errno == ENOENT) {
        /* Deleted while the checkpoint stayed: as rolled back as can be. */
        char what[CHECKPOINT_DESCRIPTION_MAX];
        checkpoint_describe(expect_tree, what);
        memset(&rep, 0, sizeof rep);
        memset(rep.head_hash, '0', LEDGER_HEX_LEN);
        merkle_empty_root(rep.tree_root);
        rep.fault = LEDGER_FAULT_ROLLBACK;
        rep.fault_seq = 1;
        snprintf(rep.detail, sizeof rep.detail, "the ledger does not extend %s: %s is missing",
                 what, LEDGER_DB_FILE);
    } else if (ledger_verify(db, pub, expect_seq, expect_hash, expect_tree, &rep, err) != EV_OK) {
        goto out;
    }
    good = rep.fault == LEDGER_FAULT_NONE;
    if (root_fd >= 0) {
        files_check fc = {root_fd, 0, json_array(), json_array()};
        recorded files_of = {0};
        ev_code rc = ledger_open_reader(db, &reader, err);

        if (rc == EV_OK)
            rc = ledger_documents(reader, collect_file, &files_of, err);
        ledger_close(reader);
        reader = NULL;
        if (progress)
            atomic_store(&progress->files_total, (int64_t)files_of.n);
        for (size_t i = 0; rc == EV_OK && i < files_of.n; i++) {
            if (progress && atomic_load(&progress->cancel))
                rc = ev_fail(err, EV_EIO, "verify cancelled: the daemon is stopping");
            else
                check_file(&fc, &files_of.v[i]);
            if (progress)
                atomic_store(&progress->files_checked, fc.checked);
        }
        recorded_free(&files_of);
        if (rc != EV_OK) {
            json_decref(fc.changed);
            json_decref(fc.missing);
            goto out;
        }
        good = good && json_array_size(fc.changed) == 0 && json_array_size(fc.missing) == 0;
        files = json_pack("{s:I, s:o, s:o}", "checked", (json_int_t)fc.checked, "changed",
                          fc.changed, "missing", fc.missing);
    }
    result = json_pack("{s:b, s:{s:I, s:I, s:s, s:s, s:I, s:s}}", "verified", good, "ledger",
                       "events", (json_int_t)rep.events, "head_seq", (json_int_t)rep.head_seq,
                       "head_hash", rep.head_hash, "fault", ledger_fault_name(rep.fault),
                       "fault_seq", (json_int_t)rep.fault_seq, "detail", rep.detail);
    json_object_set_new(json_object_get(result, "ledger"), "tree",
                        tree_json((uint64_t)rep.events, rep.tree_root));
    json_object_set_new(json_object_get(result, "ledger"), "checkpoint",
                        expect_tree ? tree_json(expect_tree->size, expect_tree->root)
                                    : json_null());
    if (files)
        json_object_set_new(result, "files", files);
out:
    ledger_close(reader);
    signer_close(loaded);
    free(db);
    return result;
}
