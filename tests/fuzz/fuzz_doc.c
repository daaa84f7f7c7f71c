/* fuzz_doc.c: libFuzzer harness for doc_parse() with the default limits.
 *
 * Every input must give a document that keeps doc.h's promises (checked by
 * fx_parse, which also runs doc_write_text and doc_language on it) or one of
 * the six rejection codes with a message. A broken promise aborts, so the
 * fuzzer saves the input as a crash. */
#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "fixture.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    doc_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    doc *d = NULL;
    ev_error err;

    if (fx_parse(data, size, NULL, &d, &err) == EV_OK)
        doc_free(d);
    return 0;
}
