/*
 * Where a run may write (out_path.c): scenarios/ and captures/ hold the
 * inputs of every run and of the regression tests, so `v6lab run --out`,
 * `run --html` and `lab run --out/--html` refuse a path inside either.
 */
#ifndef V6LAB_OUT_PATH_H
#define V6LAB_OUT_PATH_H

#include <stdbool.h>

/*
 * True when `path` (a directory or a file, relative to the current
 * directory or absolute; "." and ".." resolved on the names) is or lies
 * below a directory named scenarios or captures, counted from the current
 * directory when path is inside it. Also true when it cannot be resolved
 * (too long): refusing is the safe answer.
 */
bool out_path_forbidden(const char *path);

/* mkdir -p: 0, or the errno of the first directory that could not be
 * made (ENOTDIR when the path exists and is not a directory). */
int out_path_mkdir(const char *dir);

#endif /* V6LAB_OUT_PATH_H */
