#if canImport(Glibc)
import Glibc
#endif
import SystemIO
import CLinuxShim
import LaunchPlan

/// The detached idmapped trees the launcher prepared, by source, for init to attach. Each
/// fd is close-on-exec; a tree attached once is gone from here (a plan prepares one per attach).
struct IDMappedTrees {
    private var trees: [String: [Int32]] = [:]

    mutating func add(_ tree: Int32, for source: String) { trees[source, default: []].append(tree) }

    /// The next tree prepared for `source`, or nil (none, or its preparation failed with `warn`).
    mutating func take(_ source: String) -> Int32? {
        guard var list = trees[source], !list.isEmpty else { return nil }
        let tree = list.removeFirst()
        trees[source] = list
        return tree
    }

    mutating func closeAll() {
        for tree in trees.values.joined() { Syscall.close(tree) }
        trees = [:]
    }
}

extension Launcher {
    /// prepareIDMappedMount: as root on the host, a helper user namespace with the container's
    /// map, then the idmapped copy of `source` (IDMappedMount). A failure with the `warn`
    /// policy is reported and leaves no tree, so init skips the mount.
    func prepareIDMappedMount(_ source: String, range: IDRange, onFailure: FailurePolicy) throws(RuntimeError) {
        do throws(SystemError) {
            let namespace = try IDMappedMount.userNamespace(mapping: range)
            defer { namespace.close() }
            let tree = try IDMappedMount.clone(source, idmappedWith: namespace)
            inherited.idmappedTrees.add(tree.rawValue, for: source)
        } catch {
            guard onFailure == .warn else { throw RuntimeError(error) }
            warn("\(RuntimeError(error)) (the idmapped mount of \(source) is skipped, the start goes on)")
        }
    }
}

extension ForkedProcess {
    /// attachIDMappedMount: moves the prepared tree onto the target inside the root (resolved
    /// without symlinks, created when missing), then read-only when asked. Target `/` is the
    /// root itself, re-opened so that later steps resolve inside the idmapped tree.
    mutating func attachIDMappedMount(_ mount: BindMount) throws(RuntimeError) {
        let root = try requireRoot("attachIDMappedMount")
        guard let tree = inherited.idmappedTrees.take(mount.source) else {
            // Its preparation failed with `warn` (the launcher said so) or never ran.
            guard mount.onFailure == .warn else {
                throw .failed("attachIDMappedMount", path: mount.source, "no idmapped copy of it was prepared")
            }
            return
        }
        defer { Syscall.close(tree) }
        let isRoot = root.relativeComponents(mount.target).isEmpty
        let isDirectory = ContainerRoot.fileType(tree) == S_IFDIR
        let target =
            isRoot
            ? try root.open(mount.target)
            : try root.openTarget(mount.target, creating: isDirectory ? .directory : .file)
        defer { Syscall.close(target) }
        try system { () throws(SystemError) in
            try IDMappedMount.attach(FileDescriptor(rawValue: tree), onto: target, displayPath: root.display(mount.target))
        }
        if isRoot {
            // Later resolutions start from the idmapped mount now on top: its tree's fd is
            // that mount's root (as bindRootToItself keeps the copy it attached).
            let descriptor = dup(tree)
            guard descriptor >= 0 else { throw .system("dup", path: root.display(mount.target)) }
            Syscall.close(root.descriptor)
            self.root = ContainerRoot(hostPath: root.hostPath, descriptor: descriptor)
        }
        if mount.readOnly { try remountReadOnly(mount.target, in: self.root ?? root) }
    }
}
