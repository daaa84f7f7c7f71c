/*
 * beneath.h: open a file by a path relative to a folder, never leaving it.
 *
 * The daemon reads evidence, and an auditor's `evidencectl verify --folder`
 * re-hashes it, by paths the ledger recorded relative to the evidence
 * folder. O_NOFOLLOW guards only the last component: a folder on the way
 * replaced by a symbolic link (to a copy, or out of the tree) would be
 * followed, and what it points at read as the recorded file. Both go
 * through this one function instead.
 */
#ifndef EV_BENEATH_H
#define EV_BENEATH_H

/*
 * Open `path` (relative, components separated by '/') beneath the folder
 * root_fd with `flags` (O_NOFOLLOW and O_CLOEXEC are added), following no
 * symbolic link in any component and no "..". Uses openat2() with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS; where
 * openat2() is missing or filtered (ENOSYS, EPERM), walks the components
 * one openat(O_NOFOLLOW | O_DIRECTORY) at a time, to the same effect.
 * Returns a descriptor, or -1 with errno set: ELOOP when a component is a
 * symbolic link, EXDEV for a path that would leave root_fd, otherwise as
 * openat(2).
 */
int ev_open_beneath(int root_fd, const char *path, int flags);

/* The component walk alone, as ev_open_beneath() uses it where openat2()
 * is missing; exposed so that its tests run on any kernel. */
int ev_open_beneath_walk(int root_fd, const char *path, int flags);

#endif
