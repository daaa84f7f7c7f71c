/* zipr.c: a zip archive in memory, opened and read under the doc_limits. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse_int.h"

static int name_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = strcasecmp(x, y);
    return c ? c : strcmp(x, y);
}

/*
 * Refuse an archive in which two entries have one name, compared ignoring
 * ASCII case. Which of them a reader takes is up to the reader (libzip and
 * we the first, Python's zipfile and others the last), so such a file can
 * show one text to us and another to Word or to whoever audits it. Case
 * counts as well: OPC makes part names equal ignoring ASCII case and
 * forbids equal ones in a package (ECMA-376 part 2, M1.12), Word treats them
 * as one part, and zipr_find() falls back to ignoring case too. ODF names
 * are case-sensitive, but no producer writes two that differ only by case,
 * and one rule for both formats is one less way to differ. Folder entries
 * (names ending in '/') hold nothing to disagree about and are left alone.
 */
static ev_code refuse_twins(zip_t *za, int64_t n, ev_error *err)
{
    const char **names = ev_malloc(((size_t)n ? (size_t)n : 1) * sizeof *names);
    size_t count = 0;
    ev_code rc = EV_OK;

    for (int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        size_t len;
        if (!name) {
            rc = ev_fail(err, EV_EMALFORMED, "broken zip entry %lld: no name", (long long)i);
            goto out;
        }
        len = strlen(name);
        if (len > 0 && name[len - 1] != '/')
            names[count++] = name;
    }
    qsort(names, count, sizeof *names, name_cmp);
    for (size_t i = 1; i < count; i++) {
        if (strcasecmp(names[i - 1], names[i]) != 0)
            continue;
        if (strcmp(names[i - 1], names[i]) == 0)
            rc = ev_fail(err, EV_EMALFORMED, "zip archive has two entries named %.100s: "
                         "readers differ on which one they read", names[i]);
        else
            rc = ev_fail(err, EV_EMALFORMED, "zip archive has entries %.80s and %.80s, "
                         "one part name to Word (case is ignored)", names[i - 1], names[i]);
        break;
    }
out:
    free(names);
    return rc;
}

ev_code zipr_open(zipr *z, const void *data, size_t len, const doc_limits *lim,
                  ev_error *err)
{
    zip_error_t ze;
    zip_source_t *src;
    int64_t n;
    uint64_t declared = 0;

    memset(z, 0, sizeof *z);
    z->lim = lim;
    zip_error_init(&ze);
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        ev_fail(err, EV_EINTERNAL, "zip: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return EV_EINTERNAL;
    }
    z->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z->za) {
        ev_fail(err, EV_EMALFORMED, "broken zip archive: %s", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return EV_EMALFORMED;
    }
    zip_error_fini(&ze);

    n = zip_get_num_entries(z->za, 0);
    if (n < 0)
        return ev_fail(err, EV_EMALFORMED, "broken zip archive: no directory");
    if ((uint64_t)n > lim->max_entries)
        return ev_fail(err, EV_ETOOLARGE, "zip archive has %lld entries (limit %zu)",
                       (long long)n, lim->max_entries);
    /* Declared sizes can lie, so reading checks the real ones as well; this
     * pass refuses archives that announce a bomb before anything is inflated. */
    for (int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0)
            return ev_fail(err, EV_EMALFORMED, "broken zip entry %lld", (long long)i);
        if (!(st.valid & ZIP_STAT_SIZE))
            continue;
        declared += st.size;
        if (declared > lim->max_declared_total)
            return ev_fail(err, EV_EZIPBOMB,
                           "zip entries declare over %llu bytes in all",
                           (unsigned long long)lim->max_declared_total);
        if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > lim->max_part_size &&
            st.size / (st.comp_size ? st.comp_size : 1) > lim->max_ratio)
            return ev_fail(err, EV_EZIPBOMB,
                           "zip entry %s inflates %llu bytes from %llu",
                           st.name ? st.name : "?", (unsigned long long)st.size,
                           (unsigned long long)st.comp_size);
    }
    return refuse_twins(z->za, n, err);
}

void zipr_close(zipr *z)
{
    if (z->za)
        zip_discard(z->za);
    z->za = NULL;
}

int64_t zipr_find(zipr *z, const char *name)
{
    int64_t i = zip_name_locate(z->za, name, 0);
    if (i < 0)
        i = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
    return i;
}

ev_code zipr_read_small(zipr *z, const char *name, size_t max, ev_buf *out,
                        ev_error *err)
{
    char chunk[4096];
    int64_t idx = zipr_find(z, name);
    zip_file_t *zf;
    zip_int64_t got;
    ev_code rc = EV_OK;

    if (idx < 0)
        return EV_ENOTFOUND;
    zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        int ze = zip_error_code_zip(zip_get_error(z->za));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
            return ev_fail(err, EV_EENCRYPTED, "%s is encrypted", name);
        return ev_fail(err, EV_EMALFORMED, "%s: %s", name, zip_strerror(z->za));
    }
    ev_buf_reset(out);
    while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0) {
        if (out->len + (size_t)got > max) {
            rc = ev_fail(err, EV_ETOOLARGE, "%s is over %zu bytes", name, max);
            goto done;
        }
        ev_buf_append(out, chunk, (size_t)got);
    }
    if (got < 0)
        rc = ev_fail(err, EV_EMALFORMED, "%s: %s", name, zip_file_strerror(zf));
done:
    zip_fclose(zf);
    return rc;
}
