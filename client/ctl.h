/*
 * ctl.h: the commands of evidencectl. Each takes the arguments after its
 * name and returns the process exit status:
 *   0 success; 1 a file or check failed; 2 usage error; 3 daemon unreachable.
 */
#ifndef CTL_H
#define CTL_H

enum { CTL_OK = 0, CTL_FAILED = 1, CTL_USAGE = 2, CTL_UNREACHABLE = 3 };

int cmd_extract(int argc, char **argv);

#endif
