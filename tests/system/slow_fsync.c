/* A slow disk for system tests (LD_PRELOAD): fsync and fdatasync each take
 * RELCAL_SLOW_FSYNC_MS milliseconds longer than the real call. Built by the test that uses it
 * (cc -shared -fPIC slow_fsync.c -o slow_fsync.so -ldl). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void slow(void)
{
    const char *v = getenv("RELCAL_SLOW_FSYNC_MS");
    long ms = v ? strtol(v, NULL, 10) : 0;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}

int fsync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    slow();
    return real(fd);
}

int fdatasync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    slow();
    return real(fd);
}
