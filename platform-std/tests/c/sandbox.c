// Tries to leave the preopened directory (fd 3, named argv[1]) in every way
// it can: `..`, absolute paths, symlinks pointing outside (relative and
// absolute), renames, links and removals across the boundary. Prints
// `blocked: NAME` for each attempt that failed and `ESCAPED: NAME` for any
// that succeeded (errno values are WASI's, or libc's for the libc calls).
// It also reads inside.txt, to show the directory works.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static const __wasi_fd_t PREOPEN = 3;
static int escaped = 0;

static void report(const char *name, __wasi_errno_t error) {
    if (error == 0) {
        printf("ESCAPED: %s\n", name);
        escaped++;
    } else {
        printf("blocked: %s (errno %d)\n", name, error);
    }
}

static __wasi_errno_t open_at(const char *path, __wasi_lookupflags_t lookup,
                              __wasi_oflags_t oflags, __wasi_rights_t rights) {
    __wasi_fd_t fd;
    __wasi_errno_t error = __wasi_path_open(PREOPEN, lookup, path, oflags, rights, 0, 0, &fd);
    if (error == 0) (void)__wasi_fd_close(fd);
    return error;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    const __wasi_lookupflags_t follow = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
    const __wasi_rights_t read = __WASI_RIGHTS_FD_READ;
    const __wasi_rights_t write = __WASI_RIGHTS_FD_WRITE;

    char path[256];
    snprintf(path, sizeof path, "%s/inside.txt", argv[1]);
    FILE *inside = fopen(path, "r");
    char line[64] = {0};
    if (inside && fgets(line, sizeof line, inside)) {
        printf("inside: %s", line);
    }
    if (inside) fclose(inside);

    snprintf(path, sizeof path, "%s/../outside/secret.txt", argv[1]);
    report("libc open of dir/../outside", fopen(path, "r") ? 0 : errno);
    report("libc open of /etc/passwd", fopen("/etc/passwd", "r") ? 0 : errno);

    report("open ../outside/secret.txt", open_at("../outside/secret.txt", follow, 0, read));
    report("open ..", open_at("..", follow, __WASI_OFLAGS_DIRECTORY, read));
    report("open sub/../../outside", open_at("sub/../../outside/secret.txt", follow, 0, read));
    report("open absolute /etc/passwd", open_at("/etc/passwd", follow, 0, read));
    report("open through relative symlink", open_at("link_out/secret.txt", follow, 0, read));
    report("open through absolute symlink", open_at("abs_link/secret.txt", follow, 0, read));
    report("open symlink to a file outside", open_at("file_link", follow, 0, read));
    report("truncate through symlink",
           open_at("link_out/secret.txt", follow, __WASI_OFLAGS_TRUNC, write));
    report("create through symlink",
           open_at("link_out/new.txt", follow, __WASI_OFLAGS_CREAT, write));
    report("create ../new.txt", open_at("../new.txt", follow, __WASI_OFLAGS_CREAT, write));

    report("mkdir ../evil", __wasi_path_create_directory(PREOPEN, "../evil"));
    report("mkdir link_out/evil", __wasi_path_create_directory(PREOPEN, "link_out/evil"));
    report("rename inside.txt to ../moved.txt",
           __wasi_path_rename(PREOPEN, "inside.txt", PREOPEN, "../moved.txt"));
    report("rename ../outside/secret.txt in",
           __wasi_path_rename(PREOPEN, "../outside/secret.txt", PREOPEN, "stolen.txt"));
    report("unlink ../outside/secret.txt",
           __wasi_path_unlink_file(PREOPEN, "../outside/secret.txt"));
    report("unlink link_out/secret.txt", __wasi_path_unlink_file(PREOPEN, "link_out/secret.txt"));
    report("rmdir ../outside", __wasi_path_remove_directory(PREOPEN, "../outside"));
    report("hard link to ../outside/secret.txt",
           __wasi_path_link(PREOPEN, 0, "../outside/secret.txt", PREOPEN, "stolen_link"));
    report("hard link into ..", __wasi_path_link(PREOPEN, 0, "inside.txt", PREOPEN, "../planted"));

    __wasi_filestat_t stat;
    report("stat through symlink",
           __wasi_path_filestat_get(PREOPEN, follow, "link_out/secret.txt", &stat));
    report("stat ../outside", __wasi_path_filestat_get(PREOPEN, follow, "../outside", &stat));
    report("set times through symlink",
           __wasi_path_filestat_set_times(PREOPEN, follow, "link_out/secret.txt", 0, 0,
                                          __WASI_FSTFLAGS_MTIM_NOW));

    // A new symlink pointing out may be made, but never followed.
    __wasi_errno_t made = __wasi_path_symlink("../outside", PREOPEN, "new_link");
    printf("new relative symlink out: %s\n", made == 0 ? "created" : "refused");
    report("open through new symlink", open_at("new_link/secret.txt", follow, 0, read));
    report("absolute symlink", __wasi_path_symlink("/etc", PREOPEN, "etc_link"));

    printf("escaped=%d\n", escaped);
    return escaped == 0 ? 0 : 1;
}
