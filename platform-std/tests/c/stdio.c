// Copies stdin to stdout in upper case, counts the bytes, and reports the
// count on stderr. Exercises fd_read, fd_write and fd_fdstat_get.
#include <ctype.h>
#include <stdio.h>

int main(void) {
    long count = 0;
    int c;
    while ((c = getchar()) != EOF) {
        putchar(toupper(c));
        count++;
    }
    fflush(stdout);
    fprintf(stderr, "read %ld bytes\n", count);
    return 0;
}
