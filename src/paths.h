/* Paths: where a relative path in the configuration points.
 *
 * Paths in the INI (template, data files, fonts dir, output, password
 * file) are relative to the configuration file's directory, or to the
 * directory given with -C; absolute paths are taken as they are.  Every
 * resolved path is absolute and lexically clean (no ".", "..", "//"), so
 * a message about it names exactly the file that was tried.  Pure string
 * work except path_cwd and path_dir_of. */
#ifndef ZJ_PATHS_H
#define ZJ_PATHS_H

/* Returns p if absolute, else base/p, cleaned lexically ("a/./b" → "a/b",
 * "a/x/../b" → "a/b", repeated slashes folded, no trailing slash but for
 * "/"; ".." above the root stays at the root).  base must be absolute
 * when p is relative.  Caller frees. */
char *path_resolve(const char *base, const char *p);

/* The current directory, absolute.  Returns NULL with errno set (caller
 * frees). */
char *path_cwd(void);

/* p made absolute against the current directory and cleaned (as
 * path_resolve).  Returns NULL with errno set when the current directory
 * cannot be known.  Caller frees. */
char *path_absolute(const char *p);

/* The absolute directory that contains the file path (its dirname, with
 * symbolic links of the directory resolved).  Returns NULL with errno set
 * when that directory cannot be resolved.  Caller frees. */
char *path_dir_of(const char *path);

/* 1 if the clean absolute path p is dir or lies under it, else 0. */
int path_is_under(const char *p, const char *dir);

#endif
