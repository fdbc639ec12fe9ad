#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// How `HostFileSystemProbe` answers "can this path be mounted idmapped?".
///
/// The kernel's answer first: as root, a trial (`IDMappedMount.trial`: a throwaway user
/// namespace and a detached idmapped copy of the tree, closed without ever being attached,
/// so nothing changes) says exactly what `start` will meet, submounts included. When the
/// kernel cannot answer (not root: EPERM), the filesystem type from statfs(2) against a list
/// of filesystems known either way; an unlisted one is unknown (no diagnostic).
enum HostIDMapProbe {
    static func support(_ path: String) -> IDMapSupport {
        let name = fileSystemName(path)
        if geteuid() == 0 {
            guard let error = IDMappedMount.trial(path) else { return .supported }
            if error.errno == EINVAL, error.operation == "mount_setattr" {
                return .unsupported(
                    fileSystem: name ?? "its filesystem",
                    reason: "the kernel refused MOUNT_ATTR_IDMAP: \(SystemError.describe(errno: EINVAL))")
            }
            // ENOENT, ENOSYS (a kernel before 5.12), EPERM (no CAP_SYS_ADMIN): ask the list.
        }
        guard let name else { return .unknown }
        if supporting.contains(name) { return .supported }
        if refusing.contains(name) {
            return .unsupported(fileSystem: name, reason: "\(name) does not support idmapped mounts")
        }
        return .unknown
    }

    /// Filesystems whose kernel driver sets FS_ALLOW_IDMAP (Linux 6.3+: tmpfs from 6.3, overlay
    /// from 5.19; the kernel's answer, as root, is exact on older kernels: a 6.1 tmpfs refuses).
    static let supporting: Set<String> = ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "f2fs", "vfat", "erofs"]
    /// Filesystems that do not.
    static let refusing: Set<String> = ["ramfs", "nfs", "proc", "sysfs", "devtmpfs", "squashfs", "iso9660", "cifs"]

    /// statfs(2) magic → name, for the filesystems of the two lists (devtmpfs reports tmpfs's).
    static func fileSystemName(_ path: String) -> String? {
        guard let magic = IDMappedMount.fileSystemMagic(path) else { return nil }
        switch magic {
        case 0xEF53: return "ext4"
        case 0x5846_5342: return "xfs"
        case 0x9123_683E: return "btrfs"
        case 0x0102_1994: return "tmpfs"
        case 0x794C_7630: return "overlay"
        case 0xF2F5_2010: return "f2fs"
        case 0x4D44: return "vfat"
        case 0xE0F5_E1E2: return "erofs"
        case 0x8584_58F6: return "ramfs"
        case 0x6969: return "nfs"
        case 0x9FA0: return "proc"
        case 0x6265_6572: return "sysfs"
        case 0x7371_7368: return "squashfs"
        case 0x9660: return "iso9660"
        case 0xFF53_4D42: return "cifs"
        case let magic: return "a filesystem of type 0x" + String(magic, radix: 16)
        }
    }
}
