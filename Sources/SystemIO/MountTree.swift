#if canImport(Glibc)
import Glibc
#endif
import CLinuxShim

/// Detached mount trees (the new mount API, Linux 5.2+/5.12+): the one wrapper of open_tree,
/// move_mount and mount_setattr, for the root bound onto itself, the read-only /sys and the
/// idmapped mounts. A tree is built and changed while detached, so the container never sees
/// it half-made.
public enum MountTree {
    /// A detached, recursive copy of the tree at `path` (relative to `directory`; "" with
    /// `directory` an fd: the fd's own tree). open_tree(OPEN_TREE_CLONE | AT_RECURSIVE).
    public static func clone(_ path: String, in directory: Int32 = AT_FDCWD, displayPath: String) throws(SystemError) -> FileDescriptor {
        var flags = CLS_OPEN_TREE_CLONE | CLS_OPEN_TREE_CLOEXEC | CLS_AT_RECURSIVE
        if path.isEmpty { flags |= UInt32(CLS_AT_EMPTY_PATH) }
        let tree = cls_open_tree(directory, path, flags)
        guard tree >= 0 else { throw SystemError("open_tree", path: displayPath, detail: "OPEN_TREE_CLONE|AT_RECURSIVE") }
        return FileDescriptor(rawValue: tree)
    }

    /// Every mount of the detached `tree` read-only (mount_setattr MOUNT_ATTR_RDONLY, recursive).
    public static func makeReadOnly(_ tree: FileDescriptor, displayPath: String) throws(SystemError) {
        guard cls_make_tree_read_only(tree.rawValue) == 0 else {
            throw SystemError("mount_setattr", path: displayPath, detail: "MOUNT_ATTR_RDONLY, AT_RECURSIVE")
        }
    }

    /// Every mount of the detached `tree` idmapped with `userNamespace`'s map (mount_setattr
    /// MOUNT_ATTR_IDMAP, recursive). EINVAL when a filesystem of the tree cannot be idmapped.
    public static func idmap(_ tree: FileDescriptor, with userNamespace: FileDescriptor, displayPath: String) throws(SystemError) {
        guard cls_mount_setattr_idmap(tree.rawValue, "", UInt32(CLS_AT_EMPTY_PATH) | CLS_AT_RECURSIVE, userNamespace.rawValue) == 0 else {
            throw SystemError("mount_setattr", path: displayPath, detail: "MOUNT_ATTR_IDMAP")
        }
    }

    /// Attaches the detached `tree` on top of what `target` (an O_PATH fd) refers to, in the
    /// caller's mount namespace (move_mount).
    public static func attach(_ tree: FileDescriptor, onto target: Int32, displayPath: String) throws(SystemError) {
        guard cls_move_mount(tree.rawValue, "", target, "", CLS_MOVE_MOUNT_F_EMPTY_PATH | CLS_MOVE_MOUNT_T_EMPTY_PATH) == 0 else {
            throw SystemError("move_mount", path: displayPath)
        }
    }
}
