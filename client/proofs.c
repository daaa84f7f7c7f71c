/*
 * proofs.c: `evidencectl checkpoint`, `prove` and `verify-proof` — what an
 * auditor keeps of the ledger and checks with the verifier key alone.
 *
 * checkpoint and prove ask the daemon, or with --state read a copy of its
 * state directory; verify-proof reads only the files it is given. Every
 * file read is bounded (a checkpoint, a vkey, a proof) and malformed input
 * is an error with exit status 1, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "proof.h"
#include "safe.h"
#include "statefile.h"

int ctl_fail(const char *command, const char *message)
{
    fprintf(stderr, "evidencectl: %s: ", command);
    safe_fputs(message, stderr);
    fputc('\n', stderr);
    return CTL_FAILED;
}

/* The vkey of a state directory: its ledger.vkey. */
static ev_code state_vkey(const char *state, vkey *k, ev_error *err)
{
    char *path = ev_asprintf("%s/%s", state, SIGNER_VKEY_FILE);
    ev_code rc = vkey_load(path, k, err);
    free(path);
    return rc;
}

/* The state directory's checkpoint, checked with its vkey. */
static ev_code state_checkpoint(const char *state, checkpoint *c, char **note, ev_error *err)
{
    vkey k;
    ev_code rc = state_vkey(state, &k, err);
    if (rc == EV_OK) {
        char *path = ev_asprintf("%s/%s", state, CHECKPOINT_FILE);
        rc = checkpoint_load(path, &k, c, note, err);
        free(path);
    }
    return rc;
}

/* Write a file that must not exist yet, never through a symbolic link. */
static int write_new(const char *path, const char *text, const char *command)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    size_t len = strlen(text);
    ev_error err = {0};
    if (fd < 0) {
        char *m = ev_asprintf("%s: %s", path, strerror(errno));
        int rc = ctl_fail(command, m);
        free(m);
        return rc;
    }
    ev_code rc = statefile_write_all(fd, text, len, path, &err);
    if (close(fd) != 0 && rc == EV_OK)
        rc = ev_fail(&err, EV_EIO, "%s: %s", path, strerror(errno));
    return rc == EV_OK ? CTL_OK : ctl_fail(command, err.message);
}

int cmd_checkpoint(int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *state = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': state = optarg; break;
        case 'h': return ctl_help("checkpoint");
        default: return ctl_usage("checkpoint");
        }
    }
    if (optind != argc)
        return ctl_usage("checkpoint");
    if (state) {
        checkpoint ck;
        char *note = NULL;
        ev_error err = {0};
        if (state_checkpoint(state, &ck, &note, &err) != EV_OK)
            return ctl_fail("checkpoint", err.message);
        fputs(note, stdout);
        free(note);
        return CTL_OK;
    }
    json_t *r;
    if ((rc = ctl_ask(json_pack("{s:s}", "op", "checkpoint"), &r)) != CTL_OK)
        return rc;
    fputs(json_string_value(json_object_get(r, "checkpoint")), stdout);
    json_decref(r);
    return CTL_OK;
}

/* A sequence number given as decimal digits alone, or 0 when arg is a path. */
static int64_t seq_arg(const char *arg)
{
    int64_t v = 0;
    if (!*arg || strlen(arg) > 18 || strspn(arg, "0123456789") != strlen(arg))
        return 0;
    for (const char *p = arg; *p; p++)
        v = v * 10 + (*p - '0');
    return v;
}

/* The proof and the checkpoint it is against, from a copy of the state
 * directory. */
static int prove_offline(const char *state, const char *inclusion, const char *old_note,
                         json_t **proof, char **note)
{
    checkpoint ck, older;
    ledger *l = NULL;
    int64_t seq = seq_arg(inclusion ? inclusion : "");
    ev_error err = {0};
    vkey k;
    char *db = ev_asprintf("%s/%s", state, LEDGER_DB_FILE);
    ev_code rc = state_checkpoint(state, &ck, note, &err);
    if (rc == EV_OK)
        rc = ledger_open_reader(db, &l, &err);
    if (rc == EV_OK && inclusion && seq == 0)
        rc = ledger_lookup(l, inclusion, NULL, NULL, &seq, &err);
    if (rc == EV_OK && old_note && (rc = state_vkey(state, &k, &err)) == EV_OK)
        rc = checkpoint_open(old_note, strlen(old_note), &k, &older, &err);
    if (rc == EV_OK && old_note && older.head.size > ck.head.size)
        rc = ev_fail(&err, EV_EINVAL, "the checkpoint of %llu events is newer than the "
                     "state's, of %llu", (unsigned long long)older.head.size,
                     (unsigned long long)ck.head.size);
    if (rc == EV_OK) {
        *proof = old_note ? proof_consistency(l, older.head.size, ck.head.size, &err)
                          : proof_inclusion(l, seq, ck.head.size, &err);
        rc = *proof ? EV_OK : EV_EINVAL;
    }
    ledger_close(l);
    free(db);
    return rc == EV_OK ? CTL_OK : ctl_fail("prove", err.message);
}

int cmd_prove(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inclusion", required_argument, NULL, 'i'},
        {"consistency", required_argument, NULL, 'c'},
        {"state", required_argument, NULL, 's'},
        {"checkpoint-out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *inclusion = NULL, *consistency = NULL, *state = NULL, *out = NULL;
    char *old_note = NULL, *note = NULL, *rel = NULL;
    json_t *r = NULL, *proof = NULL;
    size_t len = 0;
    ev_error err = {0};
    int c, rc;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'i': inclusion = optarg; break;
        case 'c': consistency = optarg; break;
        case 's': state = optarg; break;
        case 'o': out = optarg; break;
        case 'h': return ctl_help("prove");
        default: return ctl_usage("prove");
        }
    }
    if (optind != argc || !inclusion == !consistency)
        return ctl_usage("prove");
    if (consistency &&
        statefile_read(consistency, CHECKPOINT_NOTE_MAX, &old_note, &len, &err) != EV_OK)
        return ctl_fail("prove", err.message);
    if (state) {
        rc = prove_offline(state, inclusion, old_note, &proof, &note);
    } else {
        json_t *req = json_pack("{s:s}", "op", "prove");
        int64_t seq = inclusion ? seq_arg(inclusion) : 0;
        rc = CTL_OK;
        if (consistency)
            json_object_set_new(req, "checkpoint", json_string(old_note));
        else if (seq > 0)
            json_object_set_new(req, "seq", json_integer(seq));
        else if ((rc = ctl_folder_relative(inclusion, &rel)) == CTL_OK)
            json_object_set_new(req, "path", json_string(rel));
        if (rc == CTL_OK)
            rc = ctl_ask(req, &r);
        else
            json_decref(req);
        if (rc == CTL_OK && !(json_is_object(json_object_get(r, "proof")) &&
                              json_is_string(json_object_get(r, "checkpoint"))))
            rc = ctl_fail("prove", "the daemon's answer has no proof");
        if (rc == CTL_OK) {
            proof = json_incref(json_object_get(r, "proof"));
            note = ev_strdup(json_string_value(json_object_get(r, "checkpoint")));
        }
    }
    if (rc == CTL_OK && out)
        rc = write_new(out, note, "prove");
    if (rc == CTL_OK)
        ctl_print_json(proof);
    json_decref(proof);
    json_decref(r);
    free(rel);
    free(note);
    free(old_note);
    return rc;
}

/* What verify-proof was given, read and checked as far as files go. */
typedef struct proof_inputs {
    vkey k;
    checkpoint ck, old;
    json_t *proof;
} proof_inputs;

static ev_code read_inputs(const char *vkey_path, const char *ck_path, const char *old_path,
                           const char *proof_path, proof_inputs *in, ev_error *err)
{
    char *text = NULL;
    size_t len = 0;
    json_error_t jerr;
    ev_code rc = vkey_load(vkey_path, &in->k, err);
    if (rc == EV_OK)
        rc = checkpoint_load(ck_path, &in->k, &in->ck, NULL, err);
    if (rc == EV_OK && old_path)
        rc = checkpoint_load(old_path, &in->k, &in->old, NULL, err);
    if (rc == EV_OK)
        rc = statefile_read(proof_path, PROOF_FILE_MAX, &text, &len, err);
    if (rc == EV_OK) {
        in->proof = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!in->proof)
            rc = ev_fail(err, EV_EINVAL, "%s: not JSON: %s (line %d)", proof_path, jerr.text,
                         jerr.line);
    }
    free(text);
    return rc;
}

/* The event a leaf holds must be the one its index names. */
static ev_code leaf_event(const char *leaf, int64_t seq, json_t **event, ev_error *err)
{
    *event = json_loads(leaf, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(*event) ||
        json_integer_value(json_object_get(*event, "seq")) != seq) {
        json_decref(*event);
        *event = NULL;
        return ev_fail(err, EV_EINVAL, "proof: the leaf is not the event of seq %lld",
                       (long long)seq);
    }
    return EV_OK;
}

int cmd_verify_proof(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vkey", required_argument, NULL, 'k'},
        {"checkpoint", required_argument, NULL, 'c'},
        {"old", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *vkey_path = NULL, *ck_path = NULL, *old_path = NULL;
    proof_inputs in = {0};
    bool json = false;
    char *leaf = NULL;
    int64_t seq = 0;
    json_t *event = NULL, *result = NULL;
    ev_error err = {0};
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': vkey_path = optarg; break;
        case 'c': ck_path = optarg; break;
        case 'o': old_path = optarg; break;
        case 'j': json = true; break;
        case 'h': return ctl_help("verify-proof");
        default: return ctl_usage("verify-proof");
        }
    }
    if (argc - optind != 1 || !vkey_path || !ck_path)
        return ctl_usage("verify-proof");
    ev_code rc = read_inputs(vkey_path, ck_path, old_path, argv[optind], &in, &err);
    proof_kind kind = rc == EV_OK ? proof_kind_of(in.proof) : PROOF_UNKNOWN;
    if (rc == EV_OK && kind == PROOF_UNKNOWN)
        rc = ev_fail(&err, EV_EINVAL, "%s: neither an inclusion nor a consistency proof",
                     argv[optind]);
    if (rc == EV_OK && (kind == PROOF_CONSISTENCY) != (old_path != NULL))
        rc = ev_fail(&err, EV_EINVAL, kind == PROOF_CONSISTENCY
                     ? "a consistency proof is checked from an older checkpoint: give it with --old"
                     : "an inclusion proof is checked against one checkpoint: --old is not for it");
    if (rc == EV_OK && kind == PROOF_INCLUSION &&
        (rc = proof_check_inclusion(in.proof, &in.ck, &leaf, &seq, &err)) == EV_OK &&
        (rc = leaf_event(leaf, seq, &event, &err)) == EV_OK)
        result = json_pack("{s:b, s:s, s:I, s:I, s:O}", "verified", 1, "kind", "inclusion",
                           "seq", (json_int_t)seq, "tree_size", (json_int_t)in.ck.head.size,
                           "event", event);
    if (rc == EV_OK && kind == PROOF_CONSISTENCY &&
        (rc = proof_check_consistency(in.proof, &in.old, &in.ck, &err)) == EV_OK)
        result = json_pack("{s:b, s:s, s:I, s:I}", "verified", 1, "kind", "consistency",
                           "old_size", (json_int_t)in.old.head.size, "new_size",
                           (json_int_t)in.ck.head.size);
    int status = CTL_OK;
    if (rc != EV_OK) {
        status = ctl_fail("verify-proof", err.message);
        if (json)
            result = json_pack("{s:b, s:s}", "verified", 0, "error", err.message);
        if (result)
            ctl_print_json(result);
    } else if (json) {
        ctl_print_json(result);
    } else if (kind == PROOF_INCLUSION) {
        safe_json(event);
        printf("verified: event %lld (%s %s, sha256 %s) is in the checkpoint of %llu events "
               "of %s\n", (long long)seq, json_string_value(json_object_get(event, "type")),
               json_string_value(json_object_get(event, "path")) ?
                   json_string_value(json_object_get(event, "path")) : "-",
               json_string_value(json_object_get(event, "sha256")) ?
                   json_string_value(json_object_get(event, "sha256")) : "-",
               (unsigned long long)in.ck.head.size, in.ck.origin);
    } else {
        printf("verified: the checkpoint of %llu events is a prefix of the checkpoint of "
               "%llu events of %s\n", (unsigned long long)in.old.head.size,
               (unsigned long long)in.ck.head.size, in.ck.origin);
    }
    json_decref(result);
    json_decref(event);
    json_decref(in.proof);
    free(leaf);
    return status;
}
