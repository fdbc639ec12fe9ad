/* peakrss COMMAND [ARGS...]: runs COMMAND and prints its own peak resident set (VmHWM, KiB),
 * read from /proc/PID/status at the moment it exits (ptrace exit stop: the process is stopped
 * just before its memory is torn down, so the figure is the launcher alone, not its children).
 * Also prints ru_maxrss of the whole waited-for tree for comparison. The exit status is the
 * command's. Output on stderr: "vmhwm_kib=N anon_kib=A file_kib=F tree_maxrss_kib=M", where A and F
 * split the resident set at exit into private anonymous memory and pages of mapped files (the
 * executable and libraries: page cache shared with every other process mapping them). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The value in KiB of FIELD ("VmHWM:") in /proc/PID/status, -1 when absent. */
static long status_kib(pid_t pid, const char *field) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long kib = -1;
    size_t length = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, length) == 0) { kib = strtol(line + length, NULL, 10); break; }
    fclose(f);
    return kib;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: peakrss COMMAND [ARGS...]\n"); return 2; }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        execvp(argv[1], argv + 1);
        perror("execvp");
        _exit(127);
    }
    int status;
    long hwm = -1, anon = -1, file = -1;
    struct rusage usage;
    if (waitpid(pid, &status, 0) < 0) { perror("waitpid"); return 2; } /* stop at exec */
    ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_TRACEEXIT);
    ptrace(PTRACE_CONT, pid, NULL, NULL);
    for (;;) {
        if (wait4(pid, &status, 0, &usage) < 0) { perror("wait4"); return 2; }
        if (WIFEXITED(status) || WIFSIGNALED(status)) break;
        if (WIFSTOPPED(status) && (status >> 8) == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
            hwm = status_kib(pid, "VmHWM:");
            anon = status_kib(pid, "RssAnon:");
            file = status_kib(pid, "RssFile:");
            ptrace(PTRACE_CONT, pid, NULL, NULL);
        } else if (WIFSTOPPED(status)) {
            int sig = WSTOPSIG(status);
            ptrace(PTRACE_CONT, pid, NULL, (void *)(long)(sig == SIGTRAP ? 0 : sig));
        }
    }
    fprintf(stderr, "vmhwm_kib=%ld anon_kib=%ld file_kib=%ld tree_maxrss_kib=%ld\n", hwm, anon, file,
            usage.ru_maxrss);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
