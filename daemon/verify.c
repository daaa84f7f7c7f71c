/* verify.c: the ledger check plus a re-hash of the recorded files. */
#include "verify.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beneath.h"
#include "ledger.h"
#include "sha256.h"

typedef struct files_check {
    int root_fd;
    int64_t checked;
    json_t *changed, *missing;
} files_check;

static int check_file(void *ctx, const ledger_file *f)
{
    files_check *fc = ctx;
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
        return 0;
    }
    close(fd);
    if (strcmp(sha, f->sha256) != 0)
        json_array_append_new(fc->changed, json_pack("{s:s, s:s, s:s}", "path", f->path,
                                                     "recorded", f->sha256, "actual", sha));
    return 0;
}

json_t *verify_run(const char *state_dir, const signer *pub, int root_fd, int64_t expect_seq,
                   const char *expect_hash, ev_error *err)
{
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
    if (ledger_verify(db, pub, expect_seq, expect_hash, &rep, err) != EV_OK)
        goto out;
    good = rep.fault == LEDGER_FAULT_NONE;
    if (root_fd >= 0) {
        files_check fc = {root_fd, 0, json_array(), json_array()};
        if (ledger_open_reader(db, &reader, err) != EV_OK ||
            ledger_documents(reader, check_file, &fc, err) != EV_OK) {
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
    if (files)
        json_object_set_new(result, "files", files);
out:
    ledger_close(reader);
    signer_close(loaded);
    free(db);
    return result;
}
