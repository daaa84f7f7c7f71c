/*
 * floor_pdf.c: bench_floor_pdf FILE... — the in-process floor of the PDF
 * section of scripts/bench.
 *
 * The least work any poppler-based text extractor must do, all files in one
 * process: load the file from memory with poppler-glib and take the text of
 * every page with poppler_page_get_text(), adding its length to a counter.
 * No layout, no blocks, no metadata, no signatures, no document model —
 * so `evidencectl extract --text` can be read against it.
 *
 * Exit status: 0 when every file was read, 1 when any was not (each failure
 * is named on stderr), 2 on usage.
 */
#include <stdio.h>
#include <string.h>

#include <poppler.h>

static int floor_file(const char *path, unsigned long long *chars, unsigned long long *pages)
{
    GError *error = NULL;
    gchar *data = NULL;
    gsize len = 0;
    GBytes *bytes;
    PopplerDocument *doc;

    if (!g_file_get_contents(path, &data, &len, &error)) {
        fprintf(stderr, "bench_floor_pdf: %s: %s\n", path, error->message);
        g_error_free(error);
        return 1;
    }
    bytes = g_bytes_new_take(data, len);
    doc = poppler_document_new_from_bytes(bytes, NULL, &error);
    g_bytes_unref(bytes);
    if (!doc) {
        fprintf(stderr, "bench_floor_pdf: %s: %s\n", path, error->message);
        g_error_free(error);
        return 1;
    }
    for (int i = 0, n = poppler_document_get_n_pages(doc); i < n; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *text = page ? poppler_page_get_text(page) : NULL;
        if (text)
            *chars += strlen(text);
        g_free(text);
        if (page)
            g_object_unref(page);
        (*pages)++;
    }
    g_object_unref(doc);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long chars = 0, pages = 0;
    int failed = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_floor_pdf FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        failed |= floor_file(argv[i], &chars, &pages);
    printf("%d files, %llu pages, %llu bytes of text\n", argc - 1, pages, chars);
    return failed;
}
