// poll() through poll_oneoff: stdin (a pipe the host writes to after a
// delay) first times out, then becomes readable; a regular file in the
// preopened directory argv[1] is readable at once.
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    struct pollfd in = {.fd = 0, .events = POLLIN};
    long long start = now_ms();
    int ready = poll(&in, 1, 100);
    printf("first poll: ready=%d after_ms>=100:%d\n", ready, now_ms() - start >= 100);

    in.revents = 0;
    ready = poll(&in, 1, 20000);
    char buf[16] = {0};
    ssize_t n = read(0, buf, sizeof buf - 1);
    printf("second poll: ready=%d pollin=%d read=%s", ready, (in.revents & POLLIN) != 0,
           n > 0 ? buf : "nothing\n");

    char path[256];
    snprintf(path, sizeof path, "%s/data.txt", argv[1]);
    int fd = open(path, O_RDONLY);
    struct pollfd file = {.fd = fd, .events = POLLIN};
    ready = poll(&file, 1, 0);
    printf("file poll: ready=%d pollin=%d\n", ready, (file.revents & POLLIN) != 0);
    return 0;
}
