#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import ConfigLanguage

/// A host program (`init=@/path`, `$SHELL=@/path` for `-s`/`-se`, any later command that runs
/// a host binary inside a container) copied into a sealed memfd, the defence against
/// CVE-2019-5736's class.
///
/// A program exec'd inside the container is reachable there as `/proc/self/exe`, and an
/// O_PATH fd to that magic link survives an exec into another program: reopened through
/// `/proc/self/fd/N` for writing, it would be the host's file, writable wherever the
/// container's root is the host's root (no user namespace). Run from this copy instead,
/// `/proc/self/exe` is an anonymous memfd whose seals (F_SEAL_SEAL, F_SEAL_SHRINK,
/// F_SEAL_GROW, F_SEAL_WRITE) refuse every write, truncation and growth, and the host's file
/// is never open in the container at all. runc and crun do the same.
public enum SealedHostProgram {
    /// The seals every copy gets: no write, no size change, and no way to remove a seal.
    public static var seals: Int32 { CLS_F_SEAL_SEAL | CLS_F_SEAL_SHRINK | CLS_F_SEAL_GROW | CLS_F_SEAL_WRITE }

    /// The step name errors carry.
    static let step = "seal host program"

    /// Copies the host file at `path` into a new memfd, seals it, and returns a read-only,
    /// close-on-exec fd of the copy to pass to `execveat(fd, "", argv, envp, AT_EMPTY_PATH)`.
    /// Runs on the host side (the file is read from the host's filesystem, as the caller).
    ///
    /// Refuses what a direct exec of the file would refuse (not a regular file, no execute
    /// bit, on a `noexec` mount), so that the copy never makes runnable what was not, and
    /// `#!` scripts (see `refuseScript`).
    public static func copy(path: String) throws(RuntimeError) -> Int32 {
        let source = try Syscall.open(path, O_RDONLY | O_CLOEXEC, step: step)
        defer { Syscall.close(source) }
        try checkRunnable(source, path: path)
        let memfd = try create(name: path)
        do throws(RuntimeError) {
            let magic = try copyBytes(from: source, to: memfd, path: path)
            try refuseScript(magic, path: path)
            // Readable and executable by anyone: inside a user namespace init runs as an
            // unprivileged host uid and must still exec it; nobody needs to write it.
            guard fchmod(memfd, 0o555) == 0 else { throw .system("fchmod", path: path, detail: "memfd copy") }
            guard cls_add_seals(memfd, seals) == 0 else { throw .system("fcntl(F_ADD_SEALS)", path: path) }
            guard cls_get_seals(memfd) & seals == seals else {
                throw .failed("fcntl(F_GET_SEALS)", path: path, "the memfd copy is not sealed")
            }
            // Keep no writable fd: exec would fail with ETXTBSY while one is open, and a
            // read-only one cannot be turned back into a writer.
            let readOnly = try Syscall.open(Syscall.fdPath(memfd), O_RDONLY | O_CLOEXEC, step: step)
            Syscall.close(memfd)
            return readOnly
        } catch {
            Syscall.close(memfd)
            throw error
        }
    }

    /// True when `descriptor` is a memfd carrying every seal of `seals` (tests, `exec` checks).
    public static func isSealed(_ descriptor: Int32) -> Bool {
        let current = cls_get_seals(descriptor)
        return current >= 0 && current & seals == seals
    }

    /// memfd_create with MFD_EXEC where the kernel knows it (6.3+: with `vm.memfd_noexec=1`
    /// a memfd made without it is not executable); an older kernel refuses the unknown flag
    /// with EINVAL, and there every memfd is executable, so it is retried without.
    private static func create(name path: String) throws(RuntimeError) -> Int32 {
        let name = "sealed:" + String(path.split(separator: "/").last ?? "program").prefix(200)
        let flags = CLS_MFD_CLOEXEC | CLS_MFD_ALLOW_SEALING
        var memfd = cls_memfd_create(name, flags | CLS_MFD_EXEC)
        if memfd < 0, errno == EINVAL { memfd = cls_memfd_create(name, flags) }
        guard memfd >= 0 else {
            let code = errno
            let hint =
                code == EACCES
                ? "(vm.memfd_noexec=2 forbids executable memfds; host programs ('@') run only from a sealed copy: set it to 0 or 1)"
                : "(the sealed copy of the host program)"
            throw .system("memfd_create", path: path, detail: hint, errno: code)
        }
        return memfd
    }

    private static func checkRunnable(_ source: Int32, path: String) throws(RuntimeError) {
        var info = stat()
        guard fstat(source, &info) == 0 else { throw .system("fstat", path: path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .failed(step, path: path, "not a regular file: a host program must be an executable file")
        }
        guard info.st_mode & 0o111 != 0 else {
            throw .system(step, path: path, detail: "(no execute permission)", errno: EACCES)
        }
        var flags: UInt = 0
        guard cls_statvfs_flags(Syscall.fdPath(source), &flags) == 0 else { throw .system("statvfs", path: path) }
        guard flags & CLS_ST_NOEXEC == 0 else {
            throw .system(step, path: path, detail: "(on a noexec mount)", errno: EACCES)
        }
    }

    /// Copies every byte; returns the first two (the `#!` check).
    private static func copyBytes(from source: Int32, to memfd: Int32, path: String) throws(RuntimeError) -> [UInt8] {
        try system { () throws(SystemError) in
            try FileDescriptor(rawValue: source).copyAll(to: FileDescriptor(rawValue: memfd), path: path)
        }
        var magic: [UInt8] = [0, 0]
        let got = pread(memfd, &magic, 2, 0)
        return Array(magic.prefix(max(0, got)))
    }

    /// A `#!` script cannot run from the copy: the kernel hands its interpreter `/dev/fd/N`,
    /// which the close-on-exec memfd no longer is once the interpreter runs. Leaving the fd
    /// open would hand the container an fd that outlives the exec and would need /proc
    /// inside; a script is better put inside the root, where its interpreter lives anyway.
    private static func refuseScript(_ magic: [UInt8], path: String) throws(RuntimeError) {
        guard magic == [0x23, 0x21] else { return }
        throw .failed(
            step, path: path,
            "a '#!' script on the host cannot be run from a sealed copy (its interpreter cannot reopen it); put the script inside the root or use a binary")
    }
}

extension ExecutionOptions {
    /// The program init execs once the mode is applied: the plan's, or `$SHELL` for
    /// `-s`/`-se` (`@` prefix = host path, run from a sealed copy like a host init).
    func program(replacing planned: InitProgram) -> InitProgram {
        switch mode {
        case .detached, .foreground:
            return planned
        case .shell, .shellKeepEnvironment:
            let shell = shell ?? "/bin/bash"
            if shell.hasPrefix("@") { return InitProgram(path: String(shell.dropFirst()), location: .host) }
            return InitProgram(path: shell, location: .insideRoot)
        }
    }
}
