/*
 * pdfsig.c: which bytes of a PDF each signature signed.
 *
 * A PDF signature signs the bytes its dictionary's /ByteRange names,
 * [0 a b c]: the file from 0 to a, and from b to b+c, leaving out the
 * hex string of the signature itself (between a and b). A later
 * incremental update (new text, a new annotation, another signature) is
 * appended after b+c and is not signed. poppler verifies the digest over
 * the range but poppler-glib 22.12 does not tell the range, so we read the
 * /ByteRange arrays from the bytes ourselves.
 *
 * This is a scan, not a PDF parser, and is bounded: each array must be
 * exactly four non-negative integers inside the file, within 256 bytes of
 * its key, and its gap must hold a hex string ('<' at a, '>' before b), as
 * every signing tool writes it. Arrays that fail this are not counted.
 * Signature dictionaries inside compressed object streams cannot be seen
 * this way: pdf.c then finds fewer ranges than signature fields and claims
 * no signature covers the whole file, which is the safe answer.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

#define KEY "/ByteRange"
#define ARRAY_SPAN 256

static bool is_pdf_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/* Parse "[n n n n]" at p (bounded by end); false unless exactly four. */
static bool parse_array(const unsigned char *p, const unsigned char *end, uint64_t v[4])
{
    size_t n = 0;

    while (p < end && is_pdf_space(*p))
        p++;
    if (p == end || *p++ != '[')
        return false;
    for (;;) {
        while (p < end && is_pdf_space(*p))
            p++;
        if (p == end)
            return false;
        if (*p == ']')
            return n == 4;
        if (*p < '0' || *p > '9' || n == 4)
            return false;
        uint64_t x = 0;
        int digits = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (++digits > 15)          /* past any file we accept */
                return false;
            x = x * 10 + (uint64_t)(*p++ - '0');
        }
        v[n++] = x;
    }
}

size_t pdfsig_ranges(const unsigned char *data, size_t len, pdfsig_range *out, size_t max)
{
    const unsigned char *p = data, *end = data + len;
    size_t n = 0;

    while (n < max && (size_t)(end - p) > sizeof KEY - 1) {
        const unsigned char *k = memmem(p, (size_t)(end - p), KEY, sizeof KEY - 1);
        uint64_t v[4];
        if (!k)
            break;
        p = k + sizeof KEY - 1;
        const unsigned char *stop = (size_t)(end - p) > ARRAY_SPAN ? p + ARRAY_SPAN : end;
        if (!parse_array(p, stop, v))
            continue;
        /* [0 a b c]: the gap [a, b) holds the signature's hex string. */
        if (v[0] != 0 || v[1] + 2 > v[2] || v[3] > len || v[2] > len - v[3])
            continue;
        if (data[v[1]] != '<' || data[v[2] - 1] != '>')
            continue;
        out[n].gap_start = v[1];
        out[n].end = v[2] + v[3];
        n++;
    }
    return n;
}

bool pdfsig_covers_whole(const pdfsig_range *r, const unsigned char *data, size_t len)
{
    /* White space after the signed %%EOF changes nothing a reader sees. */
    for (uint64_t i = r->end; i < len; i++)
        if (!is_pdf_space(data[i]))
            return false;
    return r->end <= len;
}
