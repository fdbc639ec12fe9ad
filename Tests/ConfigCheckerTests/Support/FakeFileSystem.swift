@testable import ConfigChecker

/// An in-memory filesystem for unit tests: absolute paths to entries. Parents are implied (a
/// lookup walks the components and follows symlinks in them, like the kernel does).
final class FakeFileSystem: FileSystemProbe, @unchecked Sendable {
    enum Entry {
        case directory(mode: UInt32, owner: UInt32)
        case file(mode: UInt32, contents: [UInt8], owner: UInt32)
        case symlink(String)
    }

    private(set) var entries: [String: Entry] = ["/": .directory(mode: 0o755, owner: 0)]

    func directory(_ path: String, mode: UInt32 = 0o755, owner: UInt32 = 0) {
        addParents(of: path)
        entries[path] = .directory(mode: mode, owner: owner)
    }

    func file(_ path: String, mode: UInt32 = 0o755, contents: String = "\u{7F}ELF", owner: UInt32 = 0) {
        addParents(of: path)
        entries[path] = .file(mode: mode, contents: Array(contents.utf8), owner: owner)
    }

    func symlink(_ path: String, to target: String) {
        addParents(of: path)
        entries[path] = .symlink(target)
    }

    /// The cgroup hierarchies the checker's probe finds: it reads `/proc/self/mountinfo`, so
    /// this writes one there, with each v1 controller at `root/NAME` and cgroup2 at `v2`.
    func mountCgroups(v1 controllers: [String] = [], v2: String? = nil, root: String = "/sys/fs/cgroup") {
        var lines = ["31 23 0:28 / \(root) rw - tmpfs tmpfs rw,mode=755"]
        for (index, controller) in controllers.enumerated() {
            lines.append("\(40 + index) 31 0:\(40 + index) / \(root)/\(controller) rw - cgroup cgroup rw,\(controller)")
            directory(root + "/" + controller)
        }
        if let v2 { lines.append("60 31 0:60 / \(v2) rw - cgroup2 cgroup2 rw") }
        file("/proc/self/mountinfo", mode: 0o444, contents: lines.joined(separator: "\n") + "\n")
    }

    private func addParents(of path: String) {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += "/" + component
            if entries[prefix] == nil { entries[prefix] = .directory(mode: 0o755, owner: 0) }
        }
    }

    /// The path with every symlink resolved (the final one only when `followLast`), or nil.
    private func canonical(_ path: String, followLast: Bool, depth: Int = 0) -> String? {
        guard depth < 40 else { return nil }
        var current = ""
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated() {
            if component == "." { continue }
            if component == ".." {
                current = String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
                continue
            }
            let candidate = current + "/" + component
            guard let entry = entries[candidate] else { return nil }
            let isLast = index == components.count - 1
            if case .symlink(let target) = entry, !isLast || followLast {
                let base = target.hasPrefix("/") ? target : (current.isEmpty ? "/" : current) + "/" + target
                guard let resolved = canonical(base, followLast: true, depth: depth + 1) else { return nil }
                current = resolved == "/" ? "" : resolved
            } else {
                if !isLast {
                    guard case .directory = entry else { return nil }
                }
                current = candidate
            }
        }
        return current.isEmpty ? "/" : current
    }

    private func status(of entry: Entry) -> FileStatus {
        switch entry {
        case .directory(let mode, let owner): FileStatus(kind: .directory, permissions: mode, ownerID: owner)
        case .file(let mode, _, let owner): FileStatus(kind: .regular, permissions: mode, ownerID: owner)
        case .symlink: FileStatus(kind: .symlink, permissions: 0o777, ownerID: 0)
        }
    }

    func linkStatus(_ path: String) -> FileStatus? {
        canonical(path, followLast: false).flatMap { entries[$0] }.map(status(of:))
    }

    func status(_ path: String) -> FileStatus? {
        canonical(path, followLast: true).flatMap { entries[$0] }.map(status(of:))
    }

    func symlinkTarget(_ path: String) -> String? {
        guard let path = canonical(path, followLast: false), case .symlink(let target)? = entries[path] else {
            return nil
        }
        return target
    }

    func readPrefix(_ path: String, maxBytes: Int) -> [UInt8]? {
        guard let path = canonical(path, followLast: true), case .file(_, let contents, _)? = entries[path] else {
            return nil
        }
        return Array(contents.prefix(maxBytes))
    }
}
