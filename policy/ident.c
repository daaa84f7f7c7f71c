/*
 * ident.c: identifier keys and the GB 32100 check character.
 */
#include "ident.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ev.h"
#include "nfkc.h"

/* Labels, upper-case and without spaces; the text may have spaces inside. */
static const char *const labels[] = {
    "合同编号", "协议编号", "文件编号", "报告编号", "证书编号", "项目编号", "编号", "文号",
    "CONTRACTNO", "AGREEMENTNO", "DOCUMENTNO", "DOC.NO", "DOCNO", "CERTIFICATENO",
    "REPORTNO", "REFERENCENO", "REFERENCE", "REF.NO", "REF", "NO", "#",
};

static bool is_space(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85;
}

/* Upper-case copy of s with white space runs kept as single spaces. */
static char *upper(const char *s)
{
    ev_buf b = {0};
    size_t i = 0, n = strlen(s);
    bool space = false;

    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                 (utf8proc_ssize_t)(n - i), &cp);
        assert(step > 0); /* ev_nfkc's output is valid UTF-8 */
        i += (size_t)step;
        if (is_space(cp)) {
            space = true;
            continue;
        }
        if (space && b.len)
            ev_buf_putc(&b, ' ');
        space = false;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_toupper(cp), enc);
        ev_buf_append(&b, enc, (size_t)w);
    }
    return ev_buf_steal(&b);
}

/*
 * If p starts with a label (spaces in p ignored) followed by a separator,
 * a digit or, for a Chinese label, anything: the text after it and its
 * punctuation. Otherwise p.
 */
static const char *strip_label(const char *p)
{
    for (size_t i = 0; i < EV_ARRAY_LEN(labels); i++) {
        const char *l = labels[i], *q = p;
        while (*l) {
            while (*q == ' ')
                q++;
            if (*q != *l)
                break;
            q++;
            l++;
        }
        if (*l)
            continue;
        bool chinese = (labels[i][0] & 0x80) != 0;
        if (!chinese && *q && *q != ' ' && *q != '.' && *q != ':' && *q != '#' &&
            !(*q >= '0' && *q <= '9'))
            continue; /* NOVA-1 is a number, not "No. VA-1" */
        while (*q == ' ' || *q == '.' || *q == ':' || *q == '#')
            q++;
        return q;
    }
    return p;
}

char *ev_ident_key(const char *s, size_t len)
{
    char *norm = ev_nfkc(s, len);
    char *up = upper(norm);
    const char *p = up;
    ev_buf key = {0};

    for (const char *before = NULL; before != p;) {
        before = p;
        p = strip_label(p);
    }
    /* The year of an official number is bracketed as the writer's keyboard
     * allows: 〔2026〕, 【2026】, [2026] and (2026) are one number. */
    static const char *const brackets[][2] = {
        {"〔", "("}, {"〕", ")"}, {"【", "("}, {"】", ")"}, {"[", "("}, {"]", ")"}};
    for (; *p; p++) {
        size_t i;
        if (*p == ' ')
            continue;
        for (i = 0; i < EV_ARRAY_LEN(brackets); i++)
            if (strncmp(p, brackets[i][0], strlen(brackets[i][0])) == 0)
                break;
        if (i == EV_ARRAY_LEN(brackets)) {
            ev_buf_putc(&key, *p);
            continue;
        }
        ev_buf_puts(&key, brackets[i][1]);
        p += strlen(brackets[i][0]) - 1;
    }
    /* Closing punctuation that ends a sentence is not part of the number. */
    static const char *const closers[] = {"。", "，", "；", ".", ",", ";", ":"};
    for (bool again = true; again && key.len;) {
        again = false;
        for (size_t i = 0; i < EV_ARRAY_LEN(closers); i++) {
            size_t n = strlen(closers[i]);
            if (key.len >= n && memcmp(key.data + key.len - n, closers[i], n) == 0) {
                key.len -= n;
                key.data[key.len] = '\0';
                again = true;
            }
        }
    }
    free(up);
    free(norm);
    return ev_buf_steal(&key);
}

bool ev_ident_same(const char *a, size_t alen, const char *b, size_t blen)
{
    char *ka = ev_ident_key(a, alen), *kb = ev_ident_key(b, blen);
    bool same = *ka && strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return same;
}

/* GB 32100: the 31 code characters, in value order. */
static const char code_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

ev_credit_status ev_credit_code_check(const char *s, size_t len, char *expected)
{
    static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    char *norm = ev_nfkc(s, len);
    const char *p = norm, *end = norm + strlen(norm);
    ev_credit_status status = EV_CREDIT_OK;
    int values[18];

    if (expected)
        *expected = '\0';
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (end - p != 18) {
        status = EV_CREDIT_LENGTH;
        goto out;
    }
    for (int i = 0; i < 18; i++) {
        const char *at = p[i] ? strchr(code_chars, p[i]) : NULL;
        if (!at) {
            status = EV_CREDIT_CHARSET;
            goto out;
        }
        values[i] = (int)(at - code_chars);
    }
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += values[i] * weights[i];
    int check = (31 - sum % 31) % 31;
    if (expected)
        *expected = code_chars[check];
    if (values[17] != check)
        status = EV_CREDIT_CHECK;
out:
    free(norm);
    return status;
}

const char *ev_credit_status_name(ev_credit_status status)
{
    switch (status) {
    case EV_CREDIT_OK:
        return "valid";
    case EV_CREDIT_LENGTH:
        return "not 18 characters";
    case EV_CREDIT_CHARSET:
        return "characters outside the GB 32100 set";
    case EV_CREDIT_CHECK:
        return "wrong check character";
    }
    return "unknown";
}
