#ifndef CLINUXSHIM_H
#define CLINUXSHIM_H
// The few Linux syscalls and constants Swift's Glibc module does not expose. Each function is a
// thin pass-through returning -1 and setting errno on failure; Swift wrappers name the step.
// Nothing here decides anything: no retries, no fallbacks, no logging.
#include <sys/types.h>
#include <stdint.h>

// Namespace flags for unshare(2)/setns(2).
extern const int CLS_CLONE_NEWNS;
extern const int CLS_CLONE_NEWUSER;
extern const int CLS_CLONE_NEWPID;
extern const int CLS_CLONE_NEWUTS;
extern const int CLS_CLONE_NEWIPC;
extern const int CLS_CLONE_NEWCGROUP;
extern const int CLS_CLONE_NEWTIME;
extern const int CLS_CLONE_NEWNET;

// mount(2) flags.
extern const unsigned long CLS_MS_RDONLY;
extern const unsigned long CLS_MS_NOSUID;
extern const unsigned long CLS_MS_NODEV;
extern const unsigned long CLS_MS_NOEXEC;
extern const unsigned long CLS_MS_NOATIME;
extern const unsigned long CLS_MS_NODIRATIME;
extern const unsigned long CLS_MS_RELATIME;
extern const unsigned long CLS_MS_STRICTATIME;
extern const unsigned long CLS_MS_REMOUNT;
extern const unsigned long CLS_MS_BIND;
extern const unsigned long CLS_MS_REC;
extern const unsigned long CLS_MS_PRIVATE;
extern const int CLS_MNT_DETACH;

// statvfs f_flag bits (what a bind remount must preserve when the flags are locked).
extern const unsigned long CLS_ST_NOSUID;
extern const unsigned long CLS_ST_NODEV;
extern const unsigned long CLS_ST_NOEXEC;
extern const unsigned long CLS_ST_NOATIME;
extern const unsigned long CLS_ST_NODIRATIME;
extern const unsigned long CLS_ST_RELATIME;

// openat2(2) resolve flags.
extern const uint64_t CLS_RESOLVE_NO_MAGICLINKS;
extern const uint64_t CLS_RESOLVE_NO_SYMLINKS;
extern const uint64_t CLS_RESOLVE_IN_ROOT;

extern const int CLS_O_PATH;
extern const int CLS_AT_EMPTY_PATH;
extern const int CLS_LOCK_EX;
extern const int CLS_LOCK_NB;

int cls_unshare(int flags);
int cls_setns(int fd, int nstype);
int cls_mount(const char *source, const char *target, const char *fstype,
              unsigned long flags, const char *data);
int cls_umount2(const char *target, int flags);
int cls_pivot_root(const char *new_root, const char *put_old);
/// openat2(2) through syscall(2): glibc has no wrapper before 2.39.
int cls_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);
int cls_execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags);
int cls_close_range(unsigned int first, unsigned int last, unsigned int flags);
dev_t cls_makedev(unsigned int major, unsigned int minor);
int cls_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev);

int cls_set_no_new_privs(void);
int cls_set_pdeathsig(int signal);
int cls_capbset_drop(int capability);
int cls_set_child_subreaper(void);
int cls_set_dumpable(int on);

/// fstatfs(2) f_type of an fd, written to *type.
int cls_fstatfs_type(int fd, int64_t *type);
/// statvfs(2) f_flag of a path.
int cls_statvfs_flags(const char *path, unsigned long *flags);

int cls_sethostname(const char *name, size_t length);
int cls_setgroups_empty(void);
int cls_setresuid(uid_t uid);
int cls_setresgid(gid_t gid);

int cls_flock(int fd, int operation);

/// Terminal helpers: make `fd` the controlling terminal, copy window sizes.
int cls_set_controlling_tty(int fd);
int cls_get_winsize(int fd, unsigned short *rows, unsigned short *cols);
int cls_set_winsize(int fd, unsigned short rows, unsigned short cols);
/// cfmakeraw on `fd`, saving the previous attributes into an opaque buffer of
/// cls_termios_size() bytes; cls_restore_termios puts them back.
size_t cls_termios_size(void);
int cls_make_raw(int fd, void *saved);
int cls_restore_termios(int fd, const void *saved);

/// Turns the terminal's echo on or off (a pty relaying a non-terminal stdin must not echo).
int cls_set_echo(int fd, int on);
/// Installs a SIGWINCH (or any signal) handler that writes one byte to `fd` (a non-blocking
/// pipe), so a poll loop can learn about the signal without threads.
int cls_signal_to_pipe(int signal, int fd);
/// Resets `signal` to its default action.
int cls_signal_default(int signal);

/// pipe2(2).
int cls_pipe2(int fds[2], int flags);
/// fork(2) without glibc's atfork handlers is not needed: plain fork, listed for symmetry.
pid_t cls_fork(void);
/// getdents64(2) into `buffer` (linux_dirent64 records: d_ino u64, d_off s64, d_reclen u16,
/// d_type u8, d_name NUL-terminated); the bytes filled, 0 at the end, -1/errno.
long cls_getdents64(int fd, void *buffer, unsigned long size);
/// The symbolic name of an errno value (`EINVAL`), or NULL when unknown.
const char *cls_errno_name(int code);

// ---- cgroup v2 device filter (eBPF), issue 8 item 3 ------------------------------------------
// The constants of <linux/bpf.h> the device filter needs (the Swift generator's tests compare
// its own values with these).
extern const uint32_t CLS_BPF_PROG_TYPE_CGROUP_DEVICE;
extern const uint32_t CLS_BPF_CGROUP_DEVICE;
extern const uint32_t CLS_BPF_F_ALLOW_MULTI;
extern const uint32_t CLS_BPF_DEVCG_DEV_BLOCK;
extern const uint32_t CLS_BPF_DEVCG_DEV_CHAR;
extern const uint32_t CLS_BPF_DEVCG_ACC_MKNOD;
extern const uint32_t CLS_BPF_DEVCG_ACC_READ;
extern const uint32_t CLS_BPF_DEVCG_ACC_WRITE;
/// sizeof(struct bpf_insn): 8.
extern const size_t CLS_BPF_INSN_SIZE;
/// bpf(BPF_PROG_LOAD): `count` instructions of 8 bytes at `insns`; returns the program fd.
/// With `log_level` 1 the verifier's log goes to `log` (`log_size` bytes, NUL-terminated).
int cls_bpf_prog_load(uint32_t type, const void *insns, uint32_t count, const char *license,
                      uint32_t log_level, char *log, uint32_t log_size);
/// bpf(BPF_PROG_ATTACH) of `prog_fd` to `target_fd` (a cgroup directory for cgroup programs).
int cls_bpf_prog_attach(int prog_fd, int target_fd, uint32_t attach_type, uint32_t flags);

// ---- Sealed copies of host programs (memfd_create + seals), CVE-2019-5736's class --------
// Kept as one block at the end of the header: other helpers append their own blocks here too.
/// memfd_create(2) flags: close-on-exec, sealing allowed, executable (MFD_EXEC, Linux 6.3+;
/// older kernels refuse unknown flags with EINVAL).
extern const unsigned int CLS_MFD_CLOEXEC;
extern const unsigned int CLS_MFD_ALLOW_SEALING;
extern const unsigned int CLS_MFD_EXEC;
/// fcntl(2) F_ADD_SEALS seals.
extern const int CLS_F_SEAL_SEAL;
extern const int CLS_F_SEAL_SHRINK;
extern const int CLS_F_SEAL_GROW;
extern const int CLS_F_SEAL_WRITE;
/// memfd_create(2) through syscall(2) (older glibc lacks the wrapper).
int cls_memfd_create(const char *name, unsigned int flags);
/// fcntl(fd, F_ADD_SEALS, seals).
int cls_add_seals(int fd, int seals);
/// fcntl(fd, F_GET_SEALS): the seals set, or -1.
int cls_get_seals(int fd);
// ---- end of the sealed-copy block ---------------------------------------------------------
// ---- Joining a running container (`container exec`): pidfd_open, clone3 into a cgroup -----
// Kept as one block: other helpers append their own blocks here too.
/// pidfd_open(2) of `pid` (flags 0; the fd is close-on-exec), Linux 5.3+; -1/ENOSYS before.
int cls_pidfd_open(int pid);
/// prctl(PR_GET_DUMPABLE): 0, 1 or 2; -1 on error.
int cls_get_dumpable(void);
/// Unblocks every signal and sets every catchable one to SIG_DFL: what a container's process
/// is exec'd with, whatever the caller blocked or ignored (`nohup`, a test runner's threads).
int cls_reset_signals(void);
// ---- end of the exec block ----------------------------------------------------------------

// ---- Networking (NETLINK_ROUTE), issue 11 ----------------------------------------------------
// Kept as one block at the end of the header. Message building and parsing is Swift
// (SystemIO/Netlink*.swift); these only open the socket and send to the kernel.
/// socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) bound to a kernel-chosen port id.
int cls_netlink_route_socket(void);
/// sendto(2) of one datagram to the kernel (nl_pid 0).
long cls_netlink_send(int fd, const void *bytes, unsigned long count);
// ---- end of the networking block ------------------------------------------------------------

// ---- consoles, read-only trees and the held root (shells) ---------------------------------
/// ioctl(master, TIOCSPTLCK, 0): unlocks a pty master opened from a ptmx node.
int cls_unlock_pty(int master);
/// ioctl(master, TIOCGPTPEER, O_RDWR|O_NOCTTY|O_CLOEXEC): the slave opened through the master
/// (no path lookup: it cannot be redirected).
int cls_open_pty_peer(int master);
/// ioctl(master, TIOCGPTN): the pty number, or -1.
int cls_pty_number(int master);
/// sendmsg one byte with `fd` as SCM_RIGHTS; MSG_NOSIGNAL.
int cls_send_fd(int socket, int fd);
/// recvmsg one byte and the SCM_RIGHTS fd sent with it (MSG_CMSG_CLOEXEC); -1 when none.
int cls_receive_fd(int socket);
/// mount_setattr(fd, "", AT_EMPTY_PATH|AT_RECURSIVE, {attr_set = MOUNT_ATTR_RDONLY}): every
/// mount of the tree at fd read-only.
int cls_make_tree_read_only(int fd);
// ---- end of the shells block --------------------------------------------------------------
// ---- Idmapped mounts (open_tree, mount_setattr, move_mount; Linux 5.12+), issue 14 --------
/// open_tree(2) flags.
extern const unsigned int CLS_OPEN_TREE_CLONE;
extern const unsigned int CLS_OPEN_TREE_CLOEXEC;
/// *at(2) flags used by open_tree and mount_setattr (AT_EMPTY_PATH is declared above).
extern const unsigned int CLS_AT_RECURSIVE;
/// move_mount(2) flags.
extern const unsigned int CLS_MOVE_MOUNT_F_EMPTY_PATH;
extern const unsigned int CLS_MOVE_MOUNT_T_EMPTY_PATH;
/// open_tree(2) through syscall(2): an fd of a (with OPEN_TREE_CLONE: detached) mount tree.
int cls_open_tree(int dirfd, const char *path, unsigned int flags);
/// mount_setattr(2) setting MOUNT_ATTR_IDMAP with the id map of the user namespace `userns_fd`.
int cls_mount_setattr_idmap(int dirfd, const char *path, unsigned int flags, int userns_fd);
/// move_mount(2) through syscall(2).
int cls_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags);
// ---- end of the idmapped-mount block ------------------------------------------------------
#endif
