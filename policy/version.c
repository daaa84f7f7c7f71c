/*
 * version.c: a small tokenizer for document versions. The grammar is too
 * simple for a pattern table: strip labels, then read numbers and letters
 * between separators.
 */
#include "version.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "nfkc.h"

#define MAX_NUMBER 1000000000u

/* Labels before a version, longest first where one starts another. */
static const char *const labels[] = {
    "version", "revision", "edition", "issue", "ver", "rev",
    "版本号", "版本", "版次", "修订号", "修订版", "修订", "第",
};

/* Text after the version: 版 of 第2版, 修订版. */
static const char *const suffixes[] = {"修订版", "版本", "版", "次"};

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == ':' || *p == '.'))
        p++;
    return p;
}

/* If [p, end) starts with a label, the text after it and its punctuation. */
static const char *strip_label(const char *p, const char *end)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t n = strlen(labels[i]);
        if ((size_t)(end - p) >= n && strncasecmp(p, labels[i], n) == 0) {
            const char *q = p + n;
            /* "version" must not eat the start of a word: "revA" is not "rev A". */
            bool ascii = (labels[i][0] & 0x80) == 0;
            if (ascii && q < end && ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z'))
                continue;
            return skip_blanks(q, end);
        }
    }
    return p;
}

/* 一..九, 十, 十一.., 二十..九十九; -1 otherwise. */
static int chinese_number(const char *s, const char *end, const char **after)
{
    static const char *const digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int value = 0, pending = 0;
    bool ten = false;
    const char *p = s;

    for (;;) {
        int d = 0;
        for (int i = 0; i < 9; i++)
            if ((size_t)(end - p) >= 3 && memcmp(p, digits[i], 3) == 0)
                d = i + 1;
        if (d) {
            if (pending)
                return -1;
            pending = d;
            p += 3;
        } else if ((size_t)(end - p) >= 3 && memcmp(p, "十", 3) == 0) {
            if (ten)
                return -1;
            ten = true;
            value = (pending ? pending : 1) * 10;
            pending = 0;
            p += 3;
        } else {
            break;
        }
    }
    if (p == s)
        return -1;
    *after = p;
    return value + pending;
}

bool ev_version_parse(const char *s, size_t len, ev_version *out)
{
    char *norm = ev_nfkc(s, len);
    const char *p = norm, *end = norm + strlen(norm);
    bool ok = false;

    assert(out);
    memset(out, 0, sizeof *out);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '.'))
        end--;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t n = strlen(suffixes[i]);
        if ((size_t)(end - p) > n && memcmp(end - n, suffixes[i], n) == 0) {
            end -= n;
            break;
        }
    }
    p = skip_blanks(p, end);
    for (const char *before = NULL; before != p;) {
        before = p;
        p = strip_label(p, end);
    }
    /* V2.1, v1.0: the V is a label before a digit, or alone. */
    if (p < end && (*p == 'V' || *p == 'v') && (p + 1 == end || (p[1] >= '0' && p[1] <= '9')))
        p++;

    bool after_letter = false;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        ev_version_part part = {0};
        if (c == '.' || c == '/' || c == '-' || c == '_' || c == ' ' || c == ',') {
            after_letter = false;
            p++;
            continue;
        }
        if (c >= '0' && c <= '9') {
            uint64_t v = 0;
            while (p < end && *p >= '0' && *p <= '9') {
                v = v * 10 + (uint64_t)(*p++ - '0');
                if (v > MAX_NUMBER)
                    goto done;
            }
            part.value = (uint32_t)v;
            after_letter = false;
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
            if (after_letter)
                goto done; /* a word, not a version letter */
            part.letter = true;
            part.value = (uint32_t)(c & ~0x20u);
            after_letter = true;
            p++;
        } else {
            int v = chinese_number(p, end, &p);
            if (v < 0)
                goto done;
            part.value = (uint32_t)v;
            after_letter = false;
        }
        if (out->count == EV_VERSION_MAX_PARTS)
            goto done;
        out->part[out->count++] = part;
    }
    ok = out->count > 0;
done:
    free(norm);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

int ev_version_cmp(const ev_version *a, const ev_version *b)
{
    assert(a && b);
    int n = a->count > b->count ? a->count : b->count;
    for (int i = 0; i < n; i++) {
        /* A missing element reads as the number 0. */
        ev_version_part x = i < a->count ? a->part[i] : (ev_version_part){0};
        ev_version_part y = i < b->count ? b->part[i] : (ev_version_part){0};
        if (x.letter != y.letter)
            return x.letter ? 1 : -1;
        if (x.value != y.value)
            return x.value < y.value ? -1 : 1;
    }
    return 0;
}
