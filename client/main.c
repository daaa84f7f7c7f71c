/* main.c: evidencectl — command dispatch and usage. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "ev.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"extract", cmd_extract},
};

static int usage(void)
{
    fputs("usage: evidencectl extract [--json|--text] FILE...\n", stderr);
    return CTL_USAGE;
}

int main(int argc, char **argv)
{
    ev_log_setup("evidencectl", EV_LOG_WARNING);
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage();
        return CTL_OK;
    }
    for (size_t i = 0; i < EV_ARRAY_LEN(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "evidencectl: unknown command '%s'\n", argv[1]);
    return usage();
}
