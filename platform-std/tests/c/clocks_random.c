// Checks the clocks and the random source from inside the guest and prints
// what the host test compares: the wall-clock time, a measured sleep, and
// whether random bytes look random.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t nanos(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) {
        return -1;
    }
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(void) {
    printf("realtime_s=%lld\n", (long long)(nanos(CLOCK_REALTIME) / 1000000000));

    struct timespec res;
    printf("monotonic_res_ok=%d\n",
           clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);

    int64_t before = nanos(CLOCK_MONOTONIC);
    struct timespec pause = {0, 20 * 1000 * 1000};
    int slept = nanosleep(&pause, NULL);
    int64_t after = nanos(CLOCK_MONOTONIC);
    printf("nanosleep=%d slept_ms=%lld\n", slept, (long long)((after - before) / 1000000));

    volatile uint64_t spin = 0;
    for (int i = 0; i < 100000; i++) {
        spin += i;
    }
    printf("cputime_ok=%d\n", nanos(CLOCK_PROCESS_CPUTIME_ID) > 0 && spin > 0);

    unsigned char a[32], b[32], zero[32] = {0};
    if (getentropy(a, sizeof a) != 0 || getentropy(b, sizeof b) != 0) {
        printf("random=failed\n");
        return 1;
    }
    printf("random_differs=%d random_nonzero=%d\n", memcmp(a, b, sizeof a) != 0,
           memcmp(a, zero, sizeof a) != 0);
    return 0;
}
