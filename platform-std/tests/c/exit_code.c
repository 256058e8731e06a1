// Ends in the way its first argument says: `exit N`, `return N`, or
// `abort` (a trap).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        return 100;
    }
    int code = atoi(argv[2]);
    printf("ending with %s %d\n", argv[1], code);
    fflush(stdout);
    if (strcmp(argv[1], "exit") == 0) {
        exit(code);
    }
    if (strcmp(argv[1], "abort") == 0) {
        abort();
    }
    return code;
}
