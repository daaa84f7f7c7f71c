/* main.c: evidencectl command dispatch (commands arrive with their modules). */
#include <stdio.h>

#include "ev.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc < 2) {
        fprintf(stderr, "usage: evidencectl COMMAND [ARGS...]\n");
        return 2;
    }
    fprintf(stderr, "evidencectl: unknown command\n");
    return 2;
}
