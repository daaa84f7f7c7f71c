/*
 * xmlr.c: a streaming XML reader over one part, bounded and quiet.
 *
 * libxml2 is used without DTD loading, entity substitution or network; a
 * DOCTYPE is refused outright, since neither OOXML nor ODF producers write
 * one and it is the door to entity expansion attacks. The input callback
 * counts inflated bytes so that a bomb is stopped while it inflates, not
 * after. It also counts the attributes of each start tag in those bytes:
 * libxml2 (2.9) checks every attribute and namespace declaration of a tag
 * against all the earlier ones, inside its parser, before the reader hands
 * us the element, so an element with 300,000 of them costs minutes unless
 * it is stopped before libxml2 reads it; and it looks every prefix up
 * through all the declarations in scope, so the elements open around a
 * point are bounded together as well.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "parse_int.h"

#define RATIO_FLOOR (1u << 20)  /* the ratio limit applies past 1 MiB */

enum {
    SCAN_TEXT,      /* character data: only '<' matters */
    SCAN_LT,        /* just after '<' */
    SCAN_TAG,       /* inside a start tag, outside quotes */
    SCAN_DQ,        /* inside a "value" */
    SCAN_SQ,        /* inside a 'value' */
    SCAN_END,       /* an end tag: until '>' */
    SCAN_BANG,      /* just after "<!" */
    SCAN_COMMENT,   /* until "-->" */
    SCAN_CDATA,     /* until "]]>" */
    SCAN_PI,        /* until "?>" */
    SCAN_OTHER      /* a declaration: until '>' */
};

/* What scan_attrs() found. */
enum { SCAN_OK, SCAN_OVER_ELEMENT, SCAN_OVER_OPEN };

static void scan_init(xmlr_scan *s, const doc_limits *lim)
{
    memset(s, 0, sizeof *s);
    s->max = lim->max_attributes;
    s->max_open = lim->max_attributes > UINT_MAX / 4 ? UINT_MAX : 4 * lim->max_attributes;
    /* Deeper than max_depth, the reader refuses the part anyway. */
    s->cap = lim->max_depth + 2;
    s->open = ev_calloc(s->cap, sizeof *s->open);
}

static void scan_free(xmlr_scan *s)
{
    free(s->open);
    s->open = NULL;
}

static void scan_push(xmlr_scan *s)
{
    if (s->nopen < s->cap) {
        s->open[s->nopen++] = s->attrs;
        s->open_attrs += s->attrs;
    } else {
        s->beyond++;
    }
}

static void scan_pop(xmlr_scan *s)
{
    if (s->beyond)
        s->beyond--;
    else if (s->nopen)
        s->open_attrs -= s->open[--s->nopen];
}

/* Count of `c` just seen, up to 2, or 0 when another byte came. */
static unsigned char run_of(unsigned char run, unsigned char byte, unsigned char c)
{
    return byte != c ? 0 : run < 2 ? run + 1 : 2;
}

/*
 * Feed n more bytes of XML to the scan. SCAN_OVER_ELEMENT as soon as a
 * start tag has more than s->max attributes ('=' outside quotes: a name
 * holds none), SCAN_OVER_OPEN when it and the elements open around it have
 * more than s->max_open. Text is passed with memchr, so the cost is a
 * fraction of libxml2's.
 */
static int scan_attrs(xmlr_scan *s, const char *p, size_t n)
{
    const char *end = p + n;

    while (p < end) {
        unsigned char c;
        if (s->state == SCAN_TEXT) {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            if (!lt)
                break;
            p = lt + 1;
            s->state = SCAN_LT;
            continue;
        }
        c = (unsigned char)*p++;
        switch (s->state) {
        case SCAN_LT:
            s->state = c == '!' ? SCAN_BANG : c == '?' ? SCAN_PI : c == '/' ? SCAN_END
                                                                           : SCAN_TAG;
            s->attrs = 0;
            s->run = 0;
            break;
        case SCAN_TAG:
            if (c == '"') {
                s->state = SCAN_DQ;
            } else if (c == '\'') {
                s->state = SCAN_SQ;
            } else if (c == '>') {
                s->state = SCAN_TEXT;
                if (!s->run)            /* not <empty/> */
                    scan_push(s);
            } else if (c == '=') {
                if (++s->attrs > s->max)
                    return SCAN_OVER_ELEMENT;
                if (s->open_attrs + s->attrs > s->max_open)
                    return SCAN_OVER_OPEN;
            }
            s->run = c == '/';
            break;
        case SCAN_DQ:
            if (c == '"')
                s->state = SCAN_TAG;
            break;
        case SCAN_SQ:
            if (c == '\'')
                s->state = SCAN_TAG;
            break;
        case SCAN_END:
            if (c == '>') {
                s->state = SCAN_TEXT;
                scan_pop(s);
            }
            break;
        case SCAN_BANG:
            s->state = c == '-' ? SCAN_COMMENT : c == '[' ? SCAN_CDATA : SCAN_OTHER;
            break;
        case SCAN_COMMENT:
            if (c == '>' && s->run == 2)
                s->state = SCAN_TEXT;
            s->run = run_of(s->run, c, '-');
            break;
        case SCAN_CDATA:
            if (c == '>' && s->run == 2)
                s->state = SCAN_TEXT;
            s->run = run_of(s->run, c, ']');
            break;
        case SCAN_PI:
            if (c == '>' && s->run)
                s->state = SCAN_TEXT;
            s->run = c == '?';
            break;
        default:
            if (c == '>')
                s->state = SCAN_TEXT;
            break;
        }
    }
    return SCAN_OK;
}

static void too_many_attributes(xmlr *x, int over)
{
    x->fail = EV_ETOOLARGE;
    if (over == SCAN_OVER_ELEMENT)
        snprintf(x->fail_msg, sizeof x->fail_msg,
                 "%s has an element with more than %u attributes and namespace "
                 "declarations", x->part, x->scan.max);
    else
        snprintf(x->fail_msg, sizeof x->fail_msg,
                 "%s nests elements with more than %u attributes and namespace "
                 "declarations together", x->part, x->scan.max_open);
}

static int read_entry(void *ctx, char *buf, int len)
{
    xmlr *x = ctx;
    zip_int64_t got;

    if (x->fail)
        return -1;
    got = zip_fread(x->zf, buf, (zip_uint64_t)len);
    if (got < 0) {
        x->fail = EV_EMALFORMED;
        snprintf(x->fail_msg, sizeof x->fail_msg, "%s: %s", x->part,
                 zip_file_strerror(x->zf));
        return -1;
    }
    x->read += (size_t)got;
    x->zip->inflated += (size_t)got;
    /* libzip inflates until the stream ends, not until the stated size: a
     * stream longer than its entry says is a lie, and likely a bomb. */
    if (x->read > x->declared_size) {
        x->fail = EV_EZIPBOMB;
        snprintf(x->fail_msg, sizeof x->fail_msg,
                 "%s inflates past the %llu bytes its entry declares", x->part,
                 (unsigned long long)x->declared_size);
        return -1;
    }
    if (x->read > x->lim->max_part_size ||
        x->zip->inflated > x->lim->max_total_inflated) {
        x->fail = EV_EZIPBOMB;
        snprintf(x->fail_msg, sizeof x->fail_msg,
                 "%s inflates past %zu bytes", x->part,
                 x->read > x->lim->max_part_size ? x->lim->max_part_size
                                                 : x->lim->max_total_inflated);
        return -1;
    }
    if (x->read > RATIO_FLOOR &&
        x->read / (x->comp_size ? x->comp_size : 1) > x->lim->max_ratio) {
        x->fail = EV_EZIPBOMB;
        snprintf(x->fail_msg, sizeof x->fail_msg,
                 "%s inflates more than %u times its compressed size",
                 x->part, x->lim->max_ratio);
        return -1;
    }
    int over = scan_attrs(&x->scan, buf, (size_t)got);
    if (over != SCAN_OK) {
        too_many_attributes(x, over);
        return -1;
    }
    return (int)got;
}

static int close_entry(void *ctx)
{
    (void)ctx;          /* xmlr_close() owns the zip file */
    return 0;
}

/*
 * Whether libxml2 stopped at one of its own size bounds rather than at
 * broken XML: a text node over XML_MAX_TEXT_LENGTH (reported as if memory
 * ran out), a token longer than its look-ahead allows (an attribute value,
 * comment or text run over 10,000,000 bytes), a name over
 * XML_MAX_NAME_LENGTH. The document is too large for us, not malformed.
 */
static bool over_libxml2_bounds(const xmlError *e)
{
    return e->code == XML_ERR_NO_MEMORY || e->code == XML_ERR_NAME_TOO_LONG ||
           (e->code == XML_ERR_INTERNAL_ERROR && e->message &&
            strstr(e->message, "Huge input lookup"));
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    xmlr *x = ctx;
    size_t n;

    if (e->level < XML_ERR_ERROR || x->xml_msg[0])
        return;
    if (over_libxml2_bounds(e)) {
        x->xml_code = EV_ETOOLARGE;
        snprintf(x->xml_msg, sizeof x->xml_msg, "%s line %d: a text run, value or name is "
                 "over %d bytes", x->part, e->line, XML_MAX_TEXT_LENGTH);
        return;
    }
    x->xml_code = EV_EMALFORMED;
    snprintf(x->xml_msg, sizeof x->xml_msg, "%s line %d: %s", x->part, e->line,
             e->message ? e->message : "XML error");
    /* libxml2 advises its callers ("… use XML_PARSE_HUGE option"): the
     * advice is not for the people who read why a document was rejected. */
    char *advice = strstr(x->xml_msg, " use XML_PARSE_HUGE");
    if (advice)
        *advice = '\0';
    n = strlen(x->xml_msg);
    while (n && (x->xml_msg[n - 1] == '\n' || x->xml_msg[n - 1] == ' ' ||
                 x->xml_msg[n - 1] == ','))
        x->xml_msg[--n] = '\0';
}

/* No DTD, no entities, no network, no huge-document relaxations. */
#define XMLR_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING)

static ev_code setup(xmlr *x, ev_error *err)
{
    /* libxml2 creates no reader for an empty buffer: an empty part. */
    if (!x->r)
        return ev_fail(err, EV_EMALFORMED, "%s is empty or unreadable", x->part);
    xmlTextReaderSetStructuredErrorHandler(x->r, on_xml_error, x);
    return EV_OK;
}

ev_code xmlr_open_entry(xmlr *x, zipr *z, const char *name, ev_error *err)
{
    int64_t idx = zipr_find(z, name);
    zip_stat_t st;

    memset(x, 0, sizeof *x);
    x->zip = z;
    x->part = name;
    x->lim = z->lim;
    if (idx < 0)
        return EV_ENOTFOUND;
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
        return ev_fail(err, EV_EMALFORMED, "%s: %s", name, zip_strerror(z->za));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return ev_fail(err, EV_EENCRYPTED, "%s is encrypted", name);
    scan_init(&x->scan, x->lim);
    x->comp_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    x->declared_size = (st.valid & ZIP_STAT_SIZE) ? st.size : UINT64_MAX;
    x->zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!x->zf)
        return ev_fail(err, EV_EMALFORMED, "%s: %s", name, zip_strerror(z->za));
    x->r = xmlReaderForIO(read_entry, close_entry, x, name, NULL, XMLR_OPTIONS);
    return setup(x, err);
}

ev_code xmlr_open_memory(xmlr *x, const char *data, size_t len,
                         const char *name, const doc_limits *lim, ev_error *err)
{
    memset(x, 0, sizeof *x);
    x->part = name;
    x->lim = lim;
    if (len > (size_t)INT32_MAX)
        return ev_fail(err, EV_ETOOLARGE, "%s is over 2 GiB", name);
    scan_init(&x->scan, lim);
    int over = scan_attrs(&x->scan, data, len);
    if (over != SCAN_OK) {
        too_many_attributes(x, over);
        return ev_fail(err, x->fail, "%s", x->fail_msg);
    }
    x->r = xmlReaderForMemory(data, (int)len, name, NULL, XMLR_OPTIONS);
    return setup(x, err);
}

static int reader_failed(xmlr *x, ev_error *err)
{
    if (x->fail)
        ev_fail(err, x->fail, "%s", x->fail_msg);
    else
        ev_fail(err, x->xml_msg[0] ? x->xml_code : EV_EMALFORMED, "%s",
                x->xml_msg[0] ? x->xml_msg : "malformed XML");
    return -1;
}

int xmlr_next(xmlr *x, bool skip, ev_error *err)
{
    int ret = skip ? xmlTextReaderNext(x->r) : xmlTextReaderRead(x->r);

    if (ret < 0 || x->fail)
        return reader_failed(x, err);
    if (ret == 0)
        return 0;
    if (xmlTextReaderDepth(x->r) > (int)x->lim->max_depth) {
        ev_fail(err, EV_EMALFORMED, "%s nests elements deeper than %u",
                x->part, x->lim->max_depth);
        return -1;
    }
    if (xmlTextReaderNodeType(x->r) == XML_READER_TYPE_DOCUMENT_TYPE) {
        ev_fail(err, EV_EMALFORMED, "%s declares a DOCTYPE, which documents never need",
                x->part);
        return -1;
    }
    return 1;
}

ev_code xmlr_close(xmlr *x, ev_error *err)
{
    ev_code rc = EV_OK;

    if (x->r)
        xmlFreeTextReader(x->r);
    x->r = NULL;
    if (x->zf) {
        char sink[8192];
        int got;
        /* Read to the end so libzip verifies the CRC of what we parsed. */
        while (!x->fail && (got = read_entry(x, sink, sizeof sink)) > 0)
            ;
        if (x->fail)
            rc = ev_fail(err, x->fail, "%s", x->fail_msg);
        zip_fclose(x->zf);
        x->zf = NULL;
    }
    scan_free(&x->scan);
    return rc;
}

ev_code xmlr_walk(zipr *z, const char *name, xmlr_node_fn *fn, void *ctx, ev_error *err)
{
    xmlr x;
    ev_code rc = xmlr_open_entry(&x, z, name, err);
    bool skip = false;
    int ret;

    if (rc == EV_ENOTFOUND)
        return rc;
    while (rc == EV_OK && (ret = xmlr_next(&x, skip, err)) == 1) {
        int what = fn(ctx, &x, err);
        if (what < 0)
            rc = err && err->code ? err->code : EV_EMALFORMED;
        skip = what == 1 && !xmlTextReaderIsEmptyElement(x.r);
    }
    if (rc == EV_OK && ret < 0)
        rc = err && err->code ? err->code : EV_EMALFORMED;
    ev_code crc = xmlr_close(&x, err);
    return rc != EV_OK ? rc : crc;
}

const char *xmlr_attr(xmlr *x, const char *ns, const char *local)
{
    int ok = ns ? xmlTextReaderMoveToAttributeNs(x->r, BAD_CAST local, BAD_CAST ns)
                : xmlTextReaderMoveToAttribute(x->r, BAD_CAST local);
    const char *v = NULL;

    if (ok == 1) {
        v = (const char *)xmlTextReaderConstValue(x->r);
        xmlTextReaderMoveToElement(x->r);
    }
    return v;
}
