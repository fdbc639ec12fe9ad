#define _GNU_SOURCE
#include "CLinuxShim.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

const int CLS_CLONE_NEWNS = CLONE_NEWNS;
const int CLS_CLONE_NEWUSER = CLONE_NEWUSER;
const int CLS_CLONE_NEWPID = CLONE_NEWPID;
const int CLS_CLONE_NEWUTS = CLONE_NEWUTS;
const int CLS_CLONE_NEWIPC = CLONE_NEWIPC;
const int CLS_CLONE_NEWCGROUP = CLONE_NEWCGROUP;
const int CLS_CLONE_NEWTIME = CLONE_NEWTIME;
const int CLS_CLONE_NEWNET = CLONE_NEWNET;

const unsigned long CLS_MS_RDONLY = MS_RDONLY;
const unsigned long CLS_MS_NOSUID = MS_NOSUID;
const unsigned long CLS_MS_NODEV = MS_NODEV;
const unsigned long CLS_MS_NOEXEC = MS_NOEXEC;
const unsigned long CLS_MS_NOATIME = MS_NOATIME;
const unsigned long CLS_MS_NODIRATIME = MS_NODIRATIME;
const unsigned long CLS_MS_RELATIME = MS_RELATIME;
const unsigned long CLS_MS_STRICTATIME = MS_STRICTATIME;
const unsigned long CLS_MS_REMOUNT = MS_REMOUNT;
const unsigned long CLS_MS_BIND = MS_BIND;
const unsigned long CLS_MS_REC = MS_REC;
const unsigned long CLS_MS_PRIVATE = MS_PRIVATE;
const int CLS_MNT_DETACH = MNT_DETACH;

const unsigned long CLS_ST_NOSUID = ST_NOSUID;
const unsigned long CLS_ST_NODEV = ST_NODEV;
const unsigned long CLS_ST_NOEXEC = ST_NOEXEC;
const unsigned long CLS_ST_NOATIME = ST_NOATIME;
const unsigned long CLS_ST_NODIRATIME = ST_NODIRATIME;
const unsigned long CLS_ST_RELATIME = ST_RELATIME;

const uint64_t CLS_RESOLVE_NO_MAGICLINKS = RESOLVE_NO_MAGICLINKS;
const uint64_t CLS_RESOLVE_NO_SYMLINKS = RESOLVE_NO_SYMLINKS;
const uint64_t CLS_RESOLVE_IN_ROOT = RESOLVE_IN_ROOT;

const int CLS_O_PATH = O_PATH;
const int CLS_AT_EMPTY_PATH = AT_EMPTY_PATH;
const int CLS_LOCK_EX = LOCK_EX;
const int CLS_LOCK_NB = LOCK_NB;

int cls_unshare(int flags) { return unshare(flags); }
int cls_setns(int fd, int nstype) { return setns(fd, nstype); }

int cls_mount(const char *source, const char *target, const char *fstype,
              unsigned long flags, const char *data) {
    return mount(source, target, fstype, flags, data);
}
int cls_umount2(const char *target, int flags) { return umount2(target, flags); }
int cls_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int cls_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int cls_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags) {
    return (int)syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

int cls_close_range(unsigned int first, unsigned int last, unsigned int flags) {
    return (int)syscall(SYS_close_range, first, last, flags);
}

dev_t cls_makedev(unsigned int major, unsigned int minor) { return makedev(major, minor); }
int cls_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev) {
    return mknodat(dirfd, path, mode, dev);
}

int cls_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
int cls_set_pdeathsig(int signal) { return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0); }
int cls_capbset_drop(int capability) { return prctl(PR_CAPBSET_DROP, capability, 0, 0, 0); }
int cls_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int cls_fstatfs_type(int fd, int64_t *type) {
    struct statfs info;
    if (fstatfs(fd, &info) != 0) return -1;
    *type = (int64_t)info.f_type;
    return 0;
}
int cls_statvfs_flags(const char *path, unsigned long *flags) {
    struct statvfs info;
    if (statvfs(path, &info) != 0) return -1;
    *flags = info.f_flag;
    return 0;
}

int cls_sethostname(const char *name, size_t length) { return sethostname(name, length); }
int cls_setgroups_empty(void) { return setgroups(0, NULL); }
int cls_setresuid(uid_t uid) { return setresuid(uid, uid, uid); }
int cls_setresgid(gid_t gid) { return setresgid(gid, gid, gid); }

int cls_flock(int fd, int operation) { return flock(fd, operation); }

int cls_set_controlling_tty(int fd) { return ioctl(fd, TIOCSCTTY, 0); }
int cls_get_winsize(int fd, unsigned short *rows, unsigned short *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}
int cls_set_winsize(int fd, unsigned short rows, unsigned short cols) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    size.ws_row = rows;
    size.ws_col = cols;
    return ioctl(fd, TIOCSWINSZ, &size);
}
size_t cls_termios_size(void) { return sizeof(struct termios); }
int cls_make_raw(int fd, void *saved) {
    struct termios attributes;
    if (tcgetattr(fd, &attributes) != 0) return -1;
    memcpy(saved, &attributes, sizeof attributes);
    cfmakeraw(&attributes);
    return tcsetattr(fd, TCSANOW, &attributes);
}
int cls_restore_termios(int fd, const void *saved) {
    return tcsetattr(fd, TCSANOW, (const struct termios *)saved);
}

static volatile int signal_pipe_fd[65];
static void write_signal_byte(int signal) {
    int saved = errno;
    char byte = (char)signal;
    if (signal > 0 && signal < 65) (void)!write(signal_pipe_fd[signal], &byte, 1);
    errno = saved;
}
int cls_signal_to_pipe(int signal, int fd) {
    if (signal <= 0 || signal >= 65) { errno = EINVAL; return -1; }
    signal_pipe_fd[signal] = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = write_signal_byte;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, NULL);
}
int cls_signal_default(int signal) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, NULL);
}

pid_t cls_fork(void) { return fork(); }

long cls_getdents64(int fd, void *buffer, unsigned long size) {
    return (long)syscall(SYS_getdents64, fd, buffer, size);
}

const char *cls_errno_name(int code) { return strerrorname_np(code); }
int cls_set_echo(int fd, int on) {
    struct termios attributes;
    if (tcgetattr(fd, &attributes) != 0) return -1;
    if (on) attributes.c_lflag |= ECHO; else attributes.c_lflag &= ~(tcflag_t)ECHO;
    return tcsetattr(fd, TCSANOW, &attributes);
}
int cls_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }
int cls_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, on, 0, 0, 0); }

// ---- cgroup v2 device filter (eBPF), issue 8 item 3 ------------------------------------------
// bpf(2) through syscall(2): glibc has no wrapper. Only the two commands the device filter uses.
#include <linux/bpf.h>

const uint32_t CLS_BPF_PROG_TYPE_CGROUP_DEVICE = BPF_PROG_TYPE_CGROUP_DEVICE;
const uint32_t CLS_BPF_CGROUP_DEVICE = BPF_CGROUP_DEVICE;
const uint32_t CLS_BPF_F_ALLOW_MULTI = BPF_F_ALLOW_MULTI;
const uint32_t CLS_BPF_DEVCG_DEV_BLOCK = BPF_DEVCG_DEV_BLOCK;
const uint32_t CLS_BPF_DEVCG_DEV_CHAR = BPF_DEVCG_DEV_CHAR;
const uint32_t CLS_BPF_DEVCG_ACC_MKNOD = BPF_DEVCG_ACC_MKNOD;
const uint32_t CLS_BPF_DEVCG_ACC_READ = BPF_DEVCG_ACC_READ;
const uint32_t CLS_BPF_DEVCG_ACC_WRITE = BPF_DEVCG_ACC_WRITE;
const size_t CLS_BPF_INSN_SIZE = sizeof(struct bpf_insn);

int cls_bpf_prog_load(uint32_t type, const void *insns, uint32_t count, const char *license,
                      uint32_t log_level, char *log, uint32_t log_size) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = type;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = count;
    attr.license = (uint64_t)(uintptr_t)license;
    attr.log_level = log_level;
    attr.log_buf = (uint64_t)(uintptr_t)log;
    attr.log_size = log_size;
    return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
}

int cls_bpf_prog_attach(int prog_fd, int target_fd, uint32_t attach_type, uint32_t flags) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.target_fd = (uint32_t)target_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = attach_type;
    attr.attach_flags = flags;
    return (int)syscall(__NR_bpf, BPF_PROG_ATTACH, &attr, sizeof attr);
}

// ---- Sealed copies of host programs (memfd_create + seals), CVE-2019-5736's class --------
// Kept as one block at the end of the file: other helpers append their own blocks here too.
#include <sys/mman.h>
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS (1024 + 9)
#define F_GET_SEALS (1024 + 10)
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

const unsigned int CLS_MFD_CLOEXEC = MFD_CLOEXEC;
const unsigned int CLS_MFD_ALLOW_SEALING = MFD_ALLOW_SEALING;
const unsigned int CLS_MFD_EXEC = MFD_EXEC;
const int CLS_F_SEAL_SEAL = F_SEAL_SEAL;
const int CLS_F_SEAL_SHRINK = F_SEAL_SHRINK;
const int CLS_F_SEAL_GROW = F_SEAL_GROW;
const int CLS_F_SEAL_WRITE = F_SEAL_WRITE;

int cls_memfd_create(const char *name, unsigned int flags) { return (int)syscall(SYS_memfd_create, name, flags); }
int cls_add_seals(int fd, int seals) { return fcntl(fd, F_ADD_SEALS, seals); }
int cls_get_seals(int fd) { return fcntl(fd, F_GET_SEALS); }
// ---- end of the sealed-copy block ---------------------------------------------------------

// ---- Joining a running container (`container exec`): pidfd_open, clone3 into a cgroup -----
// Kept as one block at the end of the file: other helpers append their own blocks here too.
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int cls_pidfd_open(int pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int cls_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

int cls_reset_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    for (int signal = 1; signal < NSIG; signal++) {
        if (signal == SIGKILL || signal == SIGSTOP) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = SIG_DFL;
        sigemptyset(&action.sa_mask);
        (void)sigaction(signal, &action, NULL);  /* EINVAL for glibc's reserved ones: skip */
    }
    return sigprocmask(SIG_SETMASK, &none, NULL);
}
// ---- end of the exec block ----------------------------------------------------------------
// ---- Networking (NETLINK_ROUTE), issue 11 ----------------------------------------------------
#include <linux/netlink.h>
#include <sys/socket.h>

int cls_netlink_route_socket(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return -1;
    struct sockaddr_nl local = { .nl_family = AF_NETLINK };
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

long cls_netlink_send(int fd, const void *bytes, unsigned long count) {
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    return (long)sendto(fd, bytes, count, 0, (struct sockaddr *)&kernel, sizeof kernel);
}
// ---- end of the networking block ------------------------------------------------------------
// ---- consoles, read-only trees and the held root (shells) ---------------------------------
#include <sys/socket.h>
#include <linux/mount.h>
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int cls_unlock_pty(int master) {
    int unlock = 0;
    return ioctl(master, TIOCSPTLCK, &unlock);
}
int cls_open_pty_peer(int master) { return ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC); }
int cls_pty_number(int master) {
    unsigned int number = 0;
    if (ioctl(master, TIOCGPTN, &number) != 0) return -1;
    return (int)number;
}
int cls_send_fd(int socket, int fd) {
    char byte = 'F';
    struct iovec vector = { .iov_base = &byte, .iov_len = 1 };
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space };
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    return sendmsg(socket, &message, MSG_NOSIGNAL) == 1 ? 0 : -1;
}
int cls_receive_fd(int socket) {
    char byte = 0;
    struct iovec vector = { .iov_base = &byte, .iov_len = 1 };
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space };
    ssize_t got = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    if (got != 1) { if (got == 0) errno = EPIPE; return -1; }
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS
        || header->cmsg_len != CMSG_LEN(sizeof(int))) { errno = EBADMSG; return -1; }
    int fd = -1;
    memcpy(&fd, CMSG_DATA(header), sizeof(int));
    return fd;
}
int cls_make_tree_read_only(int fd) {
    struct mount_attr attributes = { .attr_set = MOUNT_ATTR_RDONLY };
    return (int)syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attributes, sizeof attributes);
}
// ---- end of the shells block --------------------------------------------------------------
// ---- Idmapped mounts (open_tree, mount_setattr, move_mount; Linux 5.12+), issue 14 --------
// Kept as one block at the end of the file: other helpers append their own blocks here too.
#include <linux/mount.h>
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif

const unsigned int CLS_OPEN_TREE_CLONE = OPEN_TREE_CLONE;
const unsigned int CLS_OPEN_TREE_CLOEXEC = OPEN_TREE_CLOEXEC;
const unsigned int CLS_AT_RECURSIVE = AT_RECURSIVE;
const unsigned int CLS_MOVE_MOUNT_F_EMPTY_PATH = MOVE_MOUNT_F_EMPTY_PATH;
const unsigned int CLS_MOVE_MOUNT_T_EMPTY_PATH = MOVE_MOUNT_T_EMPTY_PATH;

int cls_open_tree(int dirfd, const char *path, unsigned int flags) {
    return (int)syscall(SYS_open_tree, dirfd, path, flags);
}
int cls_mount_setattr_idmap(int dirfd, const char *path, unsigned int flags, int userns_fd) {
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = (uint64_t)userns_fd;
    return (int)syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof attr);
}
int cls_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags) {
    return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}
// ---- end of the idmapped-mount block ------------------------------------------------------
