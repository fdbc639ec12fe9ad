/* v2probe: the small static helper the cgroup v2 suite (Tests/V2Suite) runs inside the VM and
 * inside containers, for what busybox cannot do precisely. Built with `gcc -static` on the host
 * by scripts/v2vm/initramfs.sh. Every subcommand prints one result line on stdout.
 *
 *   v2probe alloc MIB             touch MIB MiB page by page; prints "alloc-done" only if it
 *                                 survives (past memory.max it is OOM-killed first)
 *   v2probe forks N               fork N children that pause; "forked=K errno=E" (E the first
 *                                 fork failure's errno name, "none" when all N succeeded)
 *   v2probe dwrite DEV PROCS KIB  open DEV with O_DIRECT, then join the cgroup whose cgroup.procs
 *                                 is PROCS, then write KIB KiB; "seconds=S" (monotonic clock).
 *                                 The device is opened before joining, so the container's
 *                                 device policy never decides; io.max is charged to the writer.
 *   v2probe open PATH MODE        open PATH (MODE r or w); "open-ok" or "open-failed errno=E"
 *   v2probe cpuweight SHARES      runc/crun's cpu.weight for cpu_share SHARES, computed here
 *                                 independently of the runtime (busybox awk has no math):
 *                                 l = log2(shares), ceil(10^((l² + 125·l)/612 − 7/34)), 1…10000
 *   v2probe exe-attack            CVE-2019-5736's class, run as a host program (`init=@...`):
 *                                 tries /proc/self/exe for writing directly, then keeps an
 *                                 O_PATH descriptor to it as fd 5 and execs the container's
 *                                 /bin/sh, which reopens /proc/self/fd/5 for writing (the host
 *                                 program no longer runs, so ETXTBSY no longer protects it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *errno_name(int code) {
    switch (code) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case ENXIO: return "ENXIO";
    case ENODEV: return "ENODEV";
    case ETXTBSY: return "ETXTBSY";
    case ENOENT: return "ENOENT";
    case EROFS: return "EROFS";
    case EINVAL: return "EINVAL";
    default: return "other";
    }
}

static int alloc(long mib) {
    long page = sysconf(_SC_PAGESIZE);
    for (long i = 0; i < mib; i++) {
        char *chunk = malloc(1 << 20);
        if (chunk == NULL) { printf("alloc-failed mib=%ld\n", i); return 1; }
        for (long offset = 0; offset < (1 << 20); offset += page) chunk[offset] = 1;
    }
    printf("alloc-done mib=%ld\n", mib);
    return 0;
}

static int forks(long count) {
    long forked = 0;
    int failure = 0;
    for (long i = 0; i < count; i++) {
        pid_t pid = fork();
        if (pid < 0) { failure = errno; break; }
        if (pid == 0) { for (;;) pause(); }
        forked++;
    }
    printf("forked=%ld errno=%s\n", forked, failure ? errno_name(failure) : "none");
    fflush(stdout);
    return 0;
}

static int direct_write(const char *device, const char *procs, long kib) {
    int fd = open(device, O_WRONLY | O_DIRECT);
    if (fd < 0) { printf("dwrite-failed open errno=%s\n", errno_name(errno)); return 1; }
    FILE *cgroup = fopen(procs, "w");
    if (cgroup == NULL || fprintf(cgroup, "%d\n", getpid()) < 0 || fclose(cgroup) != 0) {
        printf("dwrite-failed join errno=%s\n", errno_name(errno));
        return 1;
    }
    void *buffer;
    if (posix_memalign(&buffer, 4096, 65536) != 0) return 1;
    memset(buffer, 0x5a, 65536);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long done = 0; done < kib; done += 64) {
        if (write(fd, buffer, 65536) != 65536) {
            printf("dwrite-failed write errno=%s\n", errno_name(errno));
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("seconds=%.3f\n", seconds);
    return 0;
}

static int open_node(const char *path, const char *mode) {
    int fd = open(path, mode[0] == 'w' ? O_WRONLY : O_RDONLY);
    if (fd < 0) { printf("open-failed errno=%s\n", errno_name(errno)); return 1; }
    printf("open-ok\n");
    close(fd);
    return 0;
}

static int exe_attack(void) {
    int direct = open("/proc/self/exe", O_WRONLY);
    if (direct >= 0) {
        ssize_t written = write(direct, "pwned", 5);
        printf("exe-attack: direct open for writing ok, write %s\n", written == 5 ? "ok" : errno_name(errno));
        close(direct);
    } else {
        printf("exe-attack: direct open for writing failed errno=%s\n", errno_name(errno));
    }
    int kept = open("/proc/self/exe", O_PATH);
    if (kept < 0 || dup2(kept, 5) < 0) { printf("exe-attack: O_PATH open failed errno=%s\n", errno_name(errno)); return 1; }
    fflush(stdout);
    execl("/bin/sh", "sh", "-c",
          "if echo pwned 1<>/proc/self/fd/5; then echo 'exe-attack: reopened and wrote'; "
          "else echo 'exe-attack: reopen refused'; fi; echo exe-attack-done; exec sleep 100000",
          (char *)NULL);
    printf("exe-attack: exec /bin/sh failed errno=%s\n", errno_name(errno));
    return 1;
}

static int cpu_weight(double shares) {
    double l = log2(shares);
    double exact = pow(10, (l * l + 125 * l) / 612 - 7.0 / 34);
    /* 1024 gives 100.00000000000003 in doubles: within 1e-9 of an integer is that integer. */
    long weight = fabs(exact - round(exact)) < 1e-9 ? lround(exact) : (long)ceil(exact);
    if (weight < 1) weight = 1;
    if (weight > 10000) weight = 10000;
    printf("%ld\n", weight);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "alloc") == 0) return alloc(atol(argv[2]));
    if (argc == 3 && strcmp(argv[1], "forks") == 0) return forks(atol(argv[2]));
    if (argc == 5 && strcmp(argv[1], "dwrite") == 0) return direct_write(argv[2], argv[3], atol(argv[4]));
    if (argc == 4 && strcmp(argv[1], "open") == 0) return open_node(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "cpuweight") == 0) return cpu_weight(atof(argv[2]));
    if (argc >= 1 && (argc == 1 || strcmp(argv[1], "exe-attack") == 0)) return exe_attack();
    fprintf(stderr, "usage: v2probe alloc MIB | forks N | dwrite DEV PROCS KIB | open PATH r|w | cpuweight SHARES | exe-attack\n");
    return 2;
}
