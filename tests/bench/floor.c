/*
 * floor.c: bench_floor FILE... — the in-process floor of scripts/bench.
 *
 * The least work any DOCX/ODT text extractor must do, all files in one
 * process: open the zip, inflate only the main part (word/document.xml or
 * content.xml) through libzip, stream it through libxml2's xmlTextReader,
 * and touch every text node by taking its value and adding its length to a
 * counter. No styles, no metadata, no notes, no document model, no output
 * but one line of totals — so the parser's time can be read against it.
 *
 * Exit status: 0 when every file was read, 1 when any was not (each failure
 * is named on stderr), 2 on usage.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

/* The main part of each format, tried in this order. */
static const char *const main_parts[] = {"word/document.xml", "content.xml"};

static int read_part(void *ctx, char *buf, int len)
{
    zip_int64_t got = zip_fread(ctx, buf, (zip_uint64_t)len);
    return got < 0 ? -1 : (int)got;
}

static int close_part(void *ctx)
{
    (void)ctx;          /* floor_file() closes the zip entry */
    return 0;
}

/* Quiet: a broken file is reported once by floor_file(), not line by line. */
static void ignore_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/*
 * Adds the byte length of every text node of PATH's main part to *TEXT.
 * Returns 0 on success; -1 when the file is not a zip with a main part or
 * its XML is broken, after naming the problem on stderr.
 */
static int floor_file(const char *path, unsigned long long *text)
{
    int zerr = 0, ret = -1, rd;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    zip_file_t *zf = NULL;
    xmlTextReaderPtr r = NULL;
    zip_int64_t idx = -1;

    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        fprintf(stderr, "bench_floor: %s: %s\n", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    for (size_t i = 0; i < sizeof main_parts / sizeof main_parts[0] && idx < 0; i++)
        idx = zip_name_locate(za, main_parts[i], 0);
    if (idx < 0) {
        fprintf(stderr, "bench_floor: %s: no word/document.xml or content.xml\n", path);
        goto done;
    }
    zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!zf) {
        fprintf(stderr, "bench_floor: %s: %s\n", path, zip_strerror(za));
        goto done;
    }
    r = xmlReaderForIO(read_part, close_part, zf, path, NULL, XML_PARSE_NONET);
    if (!r) {
        fprintf(stderr, "bench_floor: %s: cannot create an XML reader\n", path);
        goto done;
    }
    xmlTextReaderSetStructuredErrorHandler(r, ignore_error, NULL);
    while ((rd = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v)
                *text += strlen((const char *)v);
        }
    }
    if (rd < 0) {
        fprintf(stderr, "bench_floor: %s: malformed XML\n", path);
        goto done;
    }
    ret = 0;
done:
    if (r)
        xmlFreeTextReader(r);
    if (zf)
        zip_fclose(zf);
    zip_discard(za);
    return ret;
}

int main(int argc, char **argv)
{
    unsigned long long text = 0;
    int nread = 0, failed = 0;

    if (argc < 2) {
        fputs("usage: bench_floor FILE...\n", stderr);
        return 2;
    }
    LIBXML_TEST_VERSION
    for (int i = 1; i < argc; i++) {
        if (floor_file(argv[i], &text) == 0)
            nread++;
        else
            failed++;
    }
    printf("bench_floor: %d files read, %d failed, %llu bytes of text\n",
           nread, failed, text);
    xmlCleanupParser();
    return failed ? 1 : 0;
}
