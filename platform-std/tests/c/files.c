// Works with files in the preopened directory given as argv[1]: create,
// write, read back, append, stat, rename, readdir, pread/pwrite, truncate,
// symlinks, hard links, timestamps, flags, removal. Prints one line per
// step; leaves kept.txt behind for the host to check. Exits 1 if any step
// failed.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *root;
static int failures = 0;

static const char *at(const char *name) {
    static char bufs[4][512];
    static int next = 0;
    char *buf = bufs[next++ % 4];
    snprintf(buf, 512, "%s/%s", root, name);
    return buf;
}

static void check(int ok, const char *step) {
    if (ok) {
        printf("ok: %s\n", step);
    } else {
        printf("FAIL: %s (errno %d: %s)\n", step, errno, strerror(errno));
        failures++;
    }
}

static int write_file(const char *path, const char *mode, const char *text) {
    FILE *f = fopen(path, mode);
    if (!f) return 0;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static int file_equals(const char *path, const char *expected) {
    char buf[256] = {0};
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    return n == strlen(expected) && memcmp(buf, expected, n) == 0;
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    root = argv[1];

    check(mkdir(at("sub"), 0755) == 0, "mkdir sub");
    check(mkdir(at("sub"), 0755) != 0 && errno == EEXIST, "mkdir existing is EEXIST");
    check(write_file(at("sub/a.txt"), "w", "first line\n"), "create and write a.txt");
    check(file_equals(at("sub/a.txt"), "first line\n"), "read back a.txt");
    check(write_file(at("sub/a.txt"), "a", "second line\n"), "append to a.txt");
    check(file_equals(at("sub/a.txt"), "first line\nsecond line\n"), "read back appended");

    struct stat st;
    check(stat(at("sub/a.txt"), &st) == 0 && st.st_size == 23 && S_ISREG(st.st_mode),
          "stat size and type");

    check(rename(at("sub/a.txt"), at("sub/b.txt")) == 0, "rename a.txt to b.txt");
    check(stat(at("sub/a.txt"), &st) != 0 && errno == ENOENT, "old name is gone");
    check(file_equals(at("sub/b.txt"), "first line\nsecond line\n"), "new name has the data");

    int fd = open(at("sub/c.txt"), O_CREAT | O_EXCL | O_RDWR, 0644);
    check(fd >= 0, "create c.txt exclusively");
    check(open(at("sub/c.txt"), O_CREAT | O_EXCL | O_RDWR, 0644) < 0 && errno == EEXIST,
          "exclusive create of an existing file is EEXIST");

    check(pwrite(fd, "XYZ", 3, 5) == 3, "pwrite at offset 5");
    char buf[16] = {0};
    check(pread(fd, buf, 3, 5) == 3 && memcmp(buf, "XYZ", 3) == 0, "pread at offset 5");
    check(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "\0\0\0\0\0", 5) == 0, "the gap reads as zeros");
    check(lseek(fd, 0, SEEK_END) == 8, "seek to end");
    check(lseek(fd, -2, SEEK_CUR) == 6 && read(fd, buf, 2) == 2 && memcmp(buf, "YZ", 2) == 0,
          "seek back and read");
    check(lseek(fd, 0, SEEK_CUR) == 8, "tell");
    check(ftruncate(fd, 2) == 0 && fstat(fd, &st) == 0 && st.st_size == 2, "ftruncate");
    check(posix_fallocate(fd, 0, 4096) == 0 && fstat(fd, &st) == 0 && st.st_size == 4096,
          "posix_fallocate extends");
    check(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0, "posix_fadvise");
    check(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync");
    check(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND), "set O_APPEND");
    check(write(fd, "!", 1) == 1 && fstat(fd, &st) == 0 && st.st_size == 4097,
          "write with O_APPEND goes to the end");
    check(close(fd) == 0, "close");
    check(close(fd) != 0 && errno == EBADF, "double close is EBADF");

    DIR *dir = opendir(at("sub"));
    check(dir != NULL, "opendir sub");
    char *names[16];
    int count = 0, dots = 0;
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
            dots++;
        } else if (count < 16) {
            names[count++] = strdup(entry->d_name);
        }
    }
    if (dir) closedir(dir);
    qsort(names, count, sizeof names[0], cmp);
    printf("entries:");
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");
    check(dots == 2, "readdir lists . and ..");

    check(symlink("b.txt", at("sub/link")) == 0, "symlink");
    ssize_t n = readlink(at("sub/link"), buf, sizeof buf);
    check(n == 5 && memcmp(buf, "b.txt", 5) == 0, "readlink");
    check(lstat(at("sub/link"), &st) == 0 && S_ISLNK(st.st_mode), "lstat sees the link");
    check(file_equals(at("sub/link"), "first line\nsecond line\n"), "open follows the link");

    check(link(at("sub/b.txt"), at("sub/hard")) == 0, "hard link");
    check(stat(at("sub/b.txt"), &st) == 0 && st.st_nlink == 2, "link count is 2");

    struct timespec times[2] = {{1000000000, 0}, {1000000000, 500}};
    check(utimensat(AT_FDCWD, at("sub/b.txt"), times, 0) == 0, "utimensat");
    check(stat(at("sub/b.txt"), &st) == 0 && st.st_mtim.tv_sec == 1000000000 &&
              st.st_mtim.tv_nsec == 500 && st.st_atim.tv_sec == 1000000000,
          "times were set");

    check(rmdir(at("sub")) != 0 && errno == ENOTEMPTY, "rmdir of a non-empty dir is ENOTEMPTY");
    check(unlink(at("sub/c.txt")) == 0 && unlink(at("sub/link")) == 0 &&
              unlink(at("sub/hard")) == 0 && unlink(at("sub/b.txt")) == 0,
          "unlink files");
    check(rmdir(at("sub")) == 0, "rmdir sub");
    check(stat(at("sub"), &st) != 0 && errno == ENOENT, "sub is gone");

    check(open(at("missing.txt"), O_RDONLY) < 0 && errno == ENOENT, "missing file is ENOENT");
    check(write_file(at("kept.txt"), "w", "written by the guest\n"), "write kept.txt");
    check(opendir(at("kept.txt")) == NULL && errno == ENOTDIR, "opendir of a file is ENOTDIR");

    printf("failures=%d\n", failures);
    return failures == 0 ? 0 : 1;
}
