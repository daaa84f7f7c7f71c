/*
 * package.c: `evidencectl package` writes the evidence an evaluation cites
 * into one zip anyone can check offline; `evidencectl verify-package`
 * checks one.
 *
 * A package holds:
 *   files/PATH          each cited file as the ledger recorded it (the bytes
 *                       on disk must still hash to the recorded SHA-256)
 *   proofs/NNNN.json    an inclusion proof of the event of that version
 *   manifest.json       {format, as_of, categories, checkpoint, vkey,
 *                        files: [{path, archive, sha256, size, kind, fields,
 *                        requirements, seq, proof}], report: {archive,
 *                        sha256}}
 *   checkpoint          the signed checkpoint every proof is against
 *   ledger.vkey         the verifier key (an auditor should pin their own)
 *   report.html         the report (htmlreport.h) of the same evaluation
 *
 * Writing never follows a symbolic link (the output, or a file in the
 * folder) and never overwrites without --force. Reading a package bounds
 * every entry (size, inflated size, ratio, count), refuses names with "..",
 * absolute or backslashed, and names every file or proof that fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <zip.h>

#include "beneath.h"
#include "ctl.h"
#include "htmlreport.h"
#include "proof.h"
#include "safe.h"
#include "sha256.h"
#include "statefile.h"

#define PACKAGE_FORMAT "evidenced-package/1"
#define MANIFEST "manifest.json"
#define CHECKPOINT_ENTRY "checkpoint"
/* The daemon signs within a second of a batch: wait up to 5 s for it. */
#define CHECKPOINT_WAITS 50
#define CHECKPOINT_WAIT_US 100000
#define VKEY_ENTRY "ledger.vkey"
#define REPORT_ENTRY "report.html"
#define FILES_DIR "files/"
#define PROOFS_DIR "proofs/"
/* Bounds on a package read: what a real one needs, with room. */
#define MAX_ENTRIES 100000
#define MAX_ENTRY (1ull << 30)          /* one inflated entry */
#define MAX_TOTAL (16ull << 30)         /* all inflated entries */
#define MAX_RATIO 200                   /* inflated : compressed; a DOCX or PDF is far below */
#define MAX_MANIFEST (64u << 20)
#define MAX_FILE_READ (256u << 20)      /* one evidence file packaged */

/*
 * The report of the package (htmlreport.h) for the evaluation as of
 * `as_of` (NULL: today), with every document and its first sighting, as
 * `evidencectl report` writes it; NULL after saying why on stderr.
 */
static char *package_report(const char *as_of)
{
    json_t *req = json_pack("{s:s, s:b, s:b}", "op", "status", "documents", 1, "first_seen", 1);
    json_t *r = NULL;
    catalog *cat;
    ev_buf page = {0};

    if (as_of)
        json_object_set_new(req, "as_of", json_string(as_of));
    if (!(cat = ctl_load_catalog(false)))
        return NULL;
    if (ctl_ask(req, &r) == CTL_OK)
        htmlreport_write(&page, r, cat, HTMLREPORT_BOTH);
    json_decref(r);
    catalog_free(cat);
    return page.data;
}

/* ---- writing ----------------------------------------------------------- */

/* The cited paths of the chosen requirements (all when nonly is 0), each
 * once: {path: [requirement ids]}. An id the evaluation lacks is a usage
 * error (*rc). */
static json_t *cited_files(const json_t *evaluation, char **only, size_t nonly, int *rc)
{
    json_t *files = json_object(), *req, *e;
    bool *seen = ev_calloc(nonly + 1, sizeof *seen);
    size_t i, j;
    json_array_foreach(json_object_get(evaluation, "requirements"), i, req) {
        const char *id = json_string_value(json_object_get(req, "id"));
        bool wanted = nonly == 0;
        for (size_t k = 0; k < nonly && id; k++)
            if (strcmp(only[k], id) == 0)
                wanted = seen[k] = true;
        json_array_foreach(json_object_get(req, "evidence"), j, e) {
            const char *path = json_string_value(json_object_get(e, "path"));
            if (!wanted || !path || !id)
                continue;
            json_t *ids = json_object_get(files, path);
            if (!ids)
                json_object_set_new(files, path, ids = json_array());
            json_array_append_new(ids, json_string(id));
        }
    }
    for (size_t k = 0; k < nonly; k++)
        if (!seen[k]) {
            fputs("evidencectl: package: no requirement ", stderr);
            safe_fputs(only[k], stderr);
            fputs(" in the evaluation\n", stderr);
            *rc = CTL_USAGE;
        }
    free(seen);
    return files;
}

/* Read a recorded file beneath the folder into memory and check its hash. */
static ev_code read_recorded(int root_fd, const char *path, const char *sha256, void **data,
                             size_t *len, ev_error *err)
{
    char sha[EV_SHA256_HEX_LEN + 1];
    struct stat st;
    size_t have = 0;
    *data = NULL;
    int fd = ev_open_beneath(root_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return ev_fail(err, EV_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_FILE_READ) {
        close(fd);
        return ev_fail(err, EV_EIO, "%s: not a regular file of at most %u MiB", path,
                       MAX_FILE_READ >> 20);
    }
    unsigned char *buf = ev_malloc((size_t)st.st_size + 1);
    for (;;) {
        ssize_t n = read(fd, buf + have, (size_t)st.st_size + 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (have += (size_t)n) > (size_t)st.st_size)
            break;
    }
    close(fd);
    ev_sha256_hex(buf, have, sha);
    if (have != (size_t)st.st_size || strcmp(sha, sha256) != 0) {
        free(buf);
        return ev_fail(err, EV_EINVAL, "%s: differs from its recorded version (sha256 %.16s...); "
                       "let the daemon record it, then package again", path, sha256);
    }
    *data = buf;
    *len = have;
    return EV_OK;
}

static ev_code add_entry(zip_t *z, const char *name, void *data, size_t len, bool owned,
                         ev_error *err)
{
    zip_source_t *src = zip_source_buffer(z, data, len, owned ? 1 : 0);
    if (!src || zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
        if (src)
            zip_source_free(src);
        else if (owned)
            free(data);
        return ev_fail(err, EV_EIO, "zip: %s: %s", name, zip_strerror(z));
    }
    return EV_OK;
}

static ev_code add_text(zip_t *z, const char *name, const char *text, ev_error *err)
{
    return add_entry(z, name, ev_strdup(text), strlen(text), true, err);
}

/* One cited file: its bytes, its proof against the checkpoint of size, and
 * its manifest entry. */
static ev_code package_file(zip_t *z, int root_fd, const char *path, json_t *reqs,
                            uint64_t size, size_t index, json_t *manifest_files, ev_error *err)
{
    json_t *r = NULL, *event = NULL;
    char *leaf = NULL, proof_name[32];
    void *data = NULL;
    size_t len = 0;
    ev_code rc = EV_OK;
    if (ctl_ask(json_pack("{s:s, s:s, s:I}", "op", "prove", "path", path, "tree_size",
                          (json_int_t)size), &r) != CTL_OK)
        return ev_fail(err, EV_EINVAL, "%s: no proof (see above)", path);
    json_t *proof = json_object_get(r, "proof");
    const char *leaf_b64 = json_string_value(json_object_get(proof, "leaf"));
    size_t leaf_len = 0;
    leaf = leaf_b64 ? ev_malloc(strlen(leaf_b64)) : NULL;
    if (!leaf || sodium_base642bin((unsigned char *)leaf, strlen(leaf_b64), leaf_b64,
                                   strlen(leaf_b64), NULL, &leaf_len, NULL,
                                   sodium_base64_VARIANT_ORIGINAL) != 0 ||
        !(event = json_loadb(leaf, leaf_len, 0, NULL))) {
        rc = ev_fail(err, EV_EINVAL, "%s: the daemon's proof has no readable leaf", path);
        goto out;
    }
    const char *sha = json_string_value(json_object_get(event, "sha256"));
    json_t *payload = json_object_get(event, "payload");
    if (!sha) {
        rc = ev_fail(err, EV_EINVAL, "%s: its event records no sha256", path);
        goto out;
    }
    rc = read_recorded(root_fd, path, sha, &data, &len, err);
    if (rc != EV_OK)
        goto out;
    char *archive = ev_asprintf(FILES_DIR "%s", path);
    rc = add_entry(z, archive, data, len, true, err);
    data = NULL;
    snprintf(proof_name, sizeof proof_name, PROOFS_DIR "%04zu.json", index + 1);
    char *proof_text = rc == EV_OK ? json_dumps(proof, JSON_COMPACT) : NULL;
    if (rc == EV_OK)
        rc = proof_text ? add_text(z, proof_name, proof_text, err)
                        : ev_fail(err, EV_EINTERNAL, "%s: proof not serialisable", path);
    free(proof_text);
    if (rc == EV_OK)
        json_array_append_new(manifest_files,
            json_pack("{s:s, s:s, s:s, s:I, s:O?, s:O?, s:O, s:O, s:s}", "path", path,
                      "archive", archive, "sha256", sha, "size", (json_int_t)len,
                      "kind", json_object_get(payload, "kind"),
                      "fields", json_object_get(payload, "fields"),
                      "requirements", reqs, "seq", json_object_get(event, "seq"),
                      "proof", proof_name));
    free(archive);
out:
    free(data);
    free(leaf);
    json_decref(event);
    json_decref(r);
    return rc;
}

/* The output: refused when it is a symbolic link, or exists without force. */
static int check_output(const char *out, bool force)
{
    struct stat st;
    if (lstat(out, &st) != 0)
        return errno == ENOENT ? CTL_OK : CTL_FAILED;
    if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode) || !force) {
        fputs("evidencectl: package: ", stderr);
        safe_fputs(out, stderr);
        fputs(S_ISLNK(st.st_mode) ? ": a symbolic link; not followed\n"
              : !S_ISREG(st.st_mode) ? ": not a regular file\n"
              : ": exists; --force replaces it\n", stderr);
        return CTL_FAILED;
    }
    return CTL_OK;
}

int cmd_package(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"requirement", required_argument, NULL, 'r'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *as_of = NULL;
    char **only = NULL;
    size_t nonly = 0, cap = 0;
    bool force = false;
    json_t *status = NULL, *ck = NULL, *files = NULL, *manifest = NULL;
    zip_t *z = NULL;
    int root_fd = -1, c, rc = CTL_OK, zerr = 0;
    ev_error err = {0};

    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'a': as_of = optarg; break;
        case 'r':
            only = ev_grow(only, &cap, nonly + 1, sizeof *only);
            only[nonly++] = optarg;
            break;
        case 'f': force = true; break;
        case 'h': free(only); return ctl_help("package");
        default: free(only); return ctl_usage("package");
        }
    }
    if (optind != argc || !out || (as_of && !ctl_as_of_valid(as_of))) {
        free(only);
        return ctl_usage("package");
    }
    if ((rc = check_output(out, force)) != CTL_OK)
        goto out;
    /* The evaluation, then a checkpoint that covers every event it rests
     * on (the daemon signs within a second of a batch): every proof is
     * asked against that checkpoint's size, so the package holds one
     * checkpoint however the ledger grows meanwhile. */
    json_t *req = json_pack("{s:s, s:b}", "op", "status", "documents", 0);
    if (as_of)
        json_object_set_new(req, "as_of", json_string(as_of));
    if ((rc = ctl_ask(req, &status)) != CTL_OK)
        goto out;
    json_int_t events = json_integer_value(json_object_get(json_object_get(status, "ledger"),
                                                           "seq"));
    const char *note, *vkey_text;
    vkey k;
    checkpoint head;
    for (int wait = 0;; wait++) {
        json_decref(ck);
        ck = NULL;
        if ((rc = ctl_ask(json_pack("{s:s}", "op", "checkpoint"), &ck)) != CTL_OK)
            goto out;
        note = json_string_value(json_object_get(ck, "checkpoint"));
        vkey_text = json_string_value(json_object_get(ck, "vkey"));
        if (!note || !vkey_text || vkey_parse(vkey_text, &k, &err) != EV_OK ||
            checkpoint_open(note, strlen(note), &k, &head, &err) != EV_OK) {
            rc = ctl_fail("package", err.message[0] ? err.message
                                                    : "no checkpoint from the daemon");
            goto out;
        }
        if (head.head.size >= (uint64_t)events || wait == CHECKPOINT_WAITS)
            break;
        usleep(CHECKPOINT_WAIT_US);
    }
    files = cited_files(status, only, nonly, &rc);
    if (rc != CTL_OK)
        goto out;
    root_fd = open(json_string_value(json_object_get(status, "watch")),
                   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        rc = ctl_fail("package", "the watched folder cannot be opened here");
        goto out;
    }
    z = zip_open(out, ZIP_CREATE | (force ? ZIP_TRUNCATE : ZIP_EXCL), &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        ev_fail(&err, EV_EIO, "%s: %s", out, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        rc = ctl_fail("package", err.message);
        goto out;
    }
    json_t *manifest_files = json_array();
    manifest = json_pack("{s:s, s:O, s:O, s:s, s:s, s:o}", "format", PACKAGE_FORMAT,
                         "as_of", json_object_get(status, "as_of"),
                         "categories", json_object_get(status, "categories"),
                         "checkpoint", CHECKPOINT_ENTRY, "vkey", VKEY_ENTRY,
                         "files", manifest_files);
    const char *path;
    json_t *reqs;
    size_t index = 0;
    ev_code erc = EV_OK;
    json_object_foreach(files, path, reqs) {
        erc = package_file(z, root_fd, path, reqs, head.head.size, index++, manifest_files, &err);
        if (erc != EV_OK)
            break;
    }
    char *report = erc == EV_OK ? package_report(as_of) : NULL;
    if (erc == EV_OK && !report)
        erc = ev_fail(&err, EV_EIO, "the report could not be made");
    if (report) {
        char sha[EV_SHA256_HEX_LEN + 1];
        ev_sha256_hex(report, strlen(report), sha);
        json_object_set_new(manifest, "report",
                            json_pack("{s:s, s:s}", "archive", REPORT_ENTRY, "sha256", sha));
    }
    char *manifest_text = json_dumps(manifest, JSON_INDENT(1) | JSON_SORT_KEYS);
    if (erc == EV_OK)
        erc = add_text(z, MANIFEST, manifest_text, &err);
    if (erc == EV_OK)
        erc = add_text(z, CHECKPOINT_ENTRY, note, &err);
    if (erc == EV_OK) {
        char *line = ev_asprintf("%s\n", vkey_text);
        erc = add_text(z, VKEY_ENTRY, line, &err);
        free(line);
    }
    if (erc == EV_OK && report)
        erc = add_text(z, REPORT_ENTRY, report, &err);
    free(report);
    free(manifest_text);
    if (erc == EV_OK && zip_close(z) != 0)
        erc = ev_fail(&err, EV_EIO, "%s: %s", out, zip_strerror(z));
    else if (erc == EV_OK)
        z = NULL;
    if (erc != EV_OK) {
        rc = ctl_fail("package", err.message);
        goto out;
    }
    printf("%s: %zu files of %zu requirement%s, proofs against the checkpoint of %llu events\n",
           out, json_array_size(manifest_files),
           nonly ? nonly : json_array_size(json_object_get(status, "requirements")),
           nonly == 1 ? "" : "s", (unsigned long long)head.head.size);
out:
    if (z)
        zip_discard(z);
    if (root_fd >= 0)
        close(root_fd);
    json_decref(manifest);
    json_decref(files);
    json_decref(status);
    json_decref(ck);
    free(only);
    return rc;
}

/* ---- reading ----------------------------------------------------------- */

/* A name a package may hold: relative, '/'-separated, no "." or ".."
 * component, no backslash, no empty component. */
static bool safe_name(const char *name)
{
    if (!*name || name[0] == '/' || strchr(name, '\\'))
        return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += n;
        if (*p == '/' && !*++p)
            return false;
    }
    return true;
}

typedef struct package {
    zip_t *z;
    uint64_t inflated;          /* read so far, against MAX_TOTAL */
    json_t *used;               /* entry names accounted for */
    int failures;
} package;

/* Say what failed, naming the entry. */
static void failed(package *p, const char *what, const char *why)
{
    p->failures++;
    printf("FAILED %s: ", what);
    safe_fputs(why, stdout);
    putchar('\n');
}

/*
 * Read one entry under the limits, hashing it, and keeping its bytes when
 * keep is not NULL (then at most max). The inflated size is counted as
 * read, not as the archive declares it.
 */
static ev_code read_entry(package *p, const char *name, size_t max, char **keep, size_t *len,
                          char sha[EV_SHA256_HEX_LEN + 1], ev_error *err)
{
    zip_stat_t st;
    ev_sha256_ctx h;
    ev_buf b = {0};
    char buf[65536];
    uint64_t got = 0;
    zip_int64_t idx = zip_name_locate(p->z, name, 0);
    if (idx < 0 || zip_stat_index(p->z, (zip_uint64_t)idx, 0, &st) != 0)
        return ev_fail(err, EV_ENOTFOUND, "not in the package");
    json_object_set_new(p->used, name, json_true());
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (keep ? max : MAX_ENTRY))
        return ev_fail(err, EV_EZIPBOMB, "declares %llu bytes, over the limit",
                       (unsigned long long)st.size);
    zip_file_t *f = zip_fopen_index(p->z, (zip_uint64_t)idx, 0);
    if (!f)
        return ev_fail(err, EV_EMALFORMED, "cannot be read: %s", zip_strerror(p->z));
    ev_sha256_init(&h);
    ev_code rc = EV_OK;
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, sizeof buf);
        if (n < 0) {
            rc = ev_fail(err, EV_EMALFORMED, "broken: %s", zip_file_strerror(f));
            break;
        }
        if (n == 0)
            break;
        got += (uint64_t)n;
        p->inflated += (uint64_t)n;
        if (got > (keep ? max : MAX_ENTRY) || p->inflated > MAX_TOTAL ||
            ((st.valid & ZIP_STAT_COMP_SIZE) && got > 65536 &&
             got / MAX_RATIO > st.comp_size)) {
            rc = ev_fail(err, EV_EZIPBOMB, "inflates past the limits (a zip bomb?)");
            break;
        }
        ev_sha256_update(&h, buf, (size_t)n);
        if (keep)
            ev_buf_append(&b, buf, (size_t)n);
    }
    zip_fclose(f);
    if (rc == EV_OK && (st.valid & ZIP_STAT_SIZE) && got != st.size)
        rc = ev_fail(err, EV_EMALFORMED, "holds %llu bytes, declares %llu",
                     (unsigned long long)got, (unsigned long long)st.size);
    if (rc != EV_OK) {
        ev_buf_free(&b);
        return rc;
    }
    ev_sha256_final_hex(&h, sha);
    *len = (size_t)got;
    if (keep) {
        ev_buf_putc(&b, '\0');
        *keep = ev_buf_steal(&b);
    }
    return EV_OK;
}

/* An entry's text, bounded; NULL after saying why it failed. */
static char *entry_text(package *p, const char *name, size_t max, size_t *len)
{
    char sha[EV_SHA256_HEX_LEN + 1], *text = NULL;
    ev_error err = {0};
    if (read_entry(p, name, max, &text, len, sha, &err) != EV_OK) {
        failed(p, name, err.message);
        return NULL;
    }
    return text;
}

/* One manifest entry: the file's bytes and its proof. */
static void check_file(package *p, const json_t *m, const checkpoint *ck)
{
    const char *path = json_string_value(json_object_get(m, "path"));
    const char *archive = json_string_value(json_object_get(m, "archive"));
    const char *sha = json_string_value(json_object_get(m, "sha256"));
    const char *proof_name = json_string_value(json_object_get(m, "proof"));
    json_int_t size = json_integer_value(json_object_get(m, "size"));
    json_int_t seq = json_integer_value(json_object_get(m, "seq"));
    char actual[EV_SHA256_HEX_LEN + 1], *text = NULL, *leaf = NULL;
    size_t len = 0;
    int64_t proven = 0;
    json_t *proof = NULL, *event = NULL;
    ev_error err = {0};

    if (!path || !archive || !sha || !proof_name || !safe_name(archive) || !safe_name(proof_name)) {
        failed(p, MANIFEST, "an entry lacks path, archive, sha256 or proof, or names "
               "an unsafe path");
        return;
    }
    if (read_entry(p, archive, 0, NULL, &len, actual, &err) != EV_OK)
        failed(p, archive, err.message);
    else if (strcmp(actual, sha) != 0 || (json_int_t)len != size)
        failed(p, archive, "its bytes are not the ones the manifest records");
    if (!(text = entry_text(p, proof_name, PROOF_FILE_MAX, &len)))
        return;
    proof = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    if (!proof || proof_check_inclusion(proof, ck, &leaf, &proven, &err) != EV_OK) {
        failed(p, proof_name, proof ? err.message : "not JSON");
        goto out;
    }
    event = json_loads(leaf, JSON_REJECT_DUPLICATES, NULL);
    const char *ev_path = json_string_value(json_object_get(event, "path"));
    const char *ev_sha = json_string_value(json_object_get(event, "sha256"));
    if (proven != seq || json_integer_value(json_object_get(event, "seq")) != seq ||
        !ev_path || strcmp(ev_path, path) != 0 || !ev_sha || strcmp(ev_sha, sha) != 0)
        failed(p, proof_name, "proves an event other than this file's version");
out:
    json_decref(event);
    json_decref(proof);
    free(leaf);
    free(text);
}

/* The report, when the manifest lists one: its bytes are the ones hashed. */
static void check_report(package *p, const json_t *m)
{
    const char *sha = json_string_value(json_object_get(m, "sha256"));
    char actual[EV_SHA256_HEX_LEN + 1];
    size_t len = 0;
    ev_error err = {0};

    if (!m)
        return;
    if (!sha || !json_is_string(json_object_get(m, "archive")) ||
        strcmp(json_string_value(json_object_get(m, "archive")), REPORT_ENTRY) != 0) {
        failed(p, MANIFEST, "the report's entry lacks its sha256 or names another file");
        return;
    }
    if (read_entry(p, REPORT_ENTRY, 0, NULL, &len, actual, &err) != EV_OK)
        failed(p, REPORT_ENTRY, err.message);
    else if (strcmp(actual, sha) != 0)
        failed(p, REPORT_ENTRY, "its bytes are not the ones the manifest records");
}

static int verify_package(const char *zip_path, const char *vkey_path, bool *pinned)
{
    package p = {0};
    char *manifest_text = NULL, *note = NULL, *vkey_text = NULL;
    json_t *manifest = NULL, *m;
    vkey k;
    checkpoint ck;
    size_t len = 0, i;
    ev_error err = {0};
    int zerr = 0;
    int fd = open(zip_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    *pinned = vkey_path != NULL;
    if (fd < 0 || !(p.z = zip_fdopen(fd, ZIP_RDONLY | ZIP_CHECKCONS, &zerr))) {
        if (fd >= 0)
            close(fd);
        fputs("evidencectl: verify-package: ", stderr);
        safe_fputs(zip_path, stderr);
        fputs(": not a readable zip archive\n", stderr);
        return CTL_FAILED;
    }
    p.used = json_object();
    zip_int64_t n = zip_get_num_entries(p.z, 0);
    if (n < 0 || n > MAX_ENTRIES) {
        failed(&p, zip_path, "too many entries");
        goto out;
    }
    for (zip_int64_t e = 0; e < n; e++) {
        const char *name = zip_get_name(p.z, (zip_uint64_t)e, 0);
        if (!name || !safe_name(name)) {
            failed(&p, name ? name : "(unnamed entry)", "an unsafe name (absolute, \"..\" "
                   "or backslash); nothing is read from this package");
            goto out;
        }
    }
    if (vkey_path && vkey_load(vkey_path, &k, &err) != EV_OK) {
        failed(&p, vkey_path, err.message);
        goto out;
    }
    if (!vkey_path && (vkey_text = entry_text(&p, VKEY_ENTRY, VKEY_TEXT_MAX, &len)) &&
        vkey_parse(vkey_text, &k, &err) != EV_OK)
        failed(&p, VKEY_ENTRY, err.message);
    if (p.failures || !(note = entry_text(&p, CHECKPOINT_ENTRY, CHECKPOINT_NOTE_MAX, &len)))
        goto out;
    if (checkpoint_open(note, len, &k, &ck, &err) != EV_OK) {
        failed(&p, CHECKPOINT_ENTRY, err.message);
        goto out;
    }
    if (!(manifest_text = entry_text(&p, MANIFEST, MAX_MANIFEST, &len)))
        goto out;
    manifest = json_loadb(manifest_text, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_array(json_object_get(manifest, "files")) ||
        strcmp(json_string_value(json_object_get(manifest, "format")) ?
               json_string_value(json_object_get(manifest, "format")) : "", PACKAGE_FORMAT)) {
        failed(&p, MANIFEST, "not a manifest of " PACKAGE_FORMAT);
        goto out;
    }
    json_array_foreach(json_object_get(manifest, "files"), i, m)
        check_file(&p, m, &ck);
    check_report(&p, json_object_get(manifest, "report"));
    json_object_set_new(p.used, VKEY_ENTRY, json_true());
    for (zip_int64_t e = 0; e < n; e++) {
        const char *name = zip_get_name(p.z, (zip_uint64_t)e, 0);
        if (!json_object_get(p.used, name))
            failed(&p, name, "in the package but not in the manifest");
    }
    if (!p.failures)
        printf("verified: %zu files, %zu proofs, against the checkpoint of %llu events of %s\n",
               json_array_size(json_object_get(manifest, "files")),
               json_array_size(json_object_get(manifest, "files")),
               (unsigned long long)ck.head.size, ck.origin);
out:
    json_decref(manifest);
    json_decref(p.used);
    free(manifest_text);
    free(note);
    free(vkey_text);
    zip_discard(p.z);
    return p.failures ? CTL_FAILED : CTL_OK;
}

int cmd_verify_package(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vkey", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *vkey_path = NULL;
    bool pinned;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': vkey_path = optarg; break;
        case 'h': return ctl_help("verify-package");
        default: return ctl_usage("verify-package");
        }
    }
    if (argc - optind != 1)
        return ctl_usage("verify-package");
    int rc = verify_package(argv[optind], vkey_path, &pinned);
    if (rc == CTL_OK && !pinned)
        puts("note: checked with the package's own ledger.vkey; pin the key you hold with "
             "--vkey");
    return rc;
}
