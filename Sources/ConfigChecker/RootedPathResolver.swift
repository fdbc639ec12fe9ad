/// Resolves a path INSIDE a container's root the way the kernel's `openat2(RESOLVE_IN_ROOT)`
/// does: symlinks are followed, an absolute symlink target starts again at the root, and `..`
/// never climbs above the root. So what the checker finds is what the container will see, and a
/// symlink pointing "outside" can never make a host file look like the container's.
struct RootedPathResolver {
    /// The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS).
    static let symlinkLimit = 40

    enum Outcome: Equatable {
        /// `insidePath` is the resolved path as the container sees it; `hostPath` its host path.
        case found(insidePath: String, hostPath: String, status: FileStatus)
        /// Resolution stopped at `insidePath`, which does not exist (or is not a directory).
        case missing(insidePath: String)
        /// More than `symlinkLimit` symlinks.
        case symlinkLoop
    }

    let root: String
    let fileSystem: any FileSystemProbe

    /// Follows every symlink, the final component included.
    func resolve(_ path: String) -> Outcome {
        var resolved: [Substring] = []
        // The components still to walk, last to walk first (so popLast is the next one).
        var pending = Array(PathNormalization.components(path).reversed())
        var symlinksFollowed = 0
        while let component = pending.popLast() {
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = resolved + [component]
            let hostPath = PathNormalization.join(root, candidate)
            guard let status = fileSystem.linkStatus(hostPath) else {
                return .missing(insidePath: "/" + candidate.joined(separator: "/"))
            }
            guard status.kind == .symlink else {
                resolved = candidate
                continue
            }
            symlinksFollowed += 1
            guard symlinksFollowed <= Self.symlinkLimit else { return .symlinkLoop }
            guard let target = fileSystem.symlinkTarget(hostPath) else {
                return .missing(insidePath: "/" + candidate.joined(separator: "/"))
            }
            if target.hasPrefix("/") { resolved = [] }
            pending.append(contentsOf: PathNormalization.components(target).reversed())
        }
        let hostPath = PathNormalization.join(root, resolved)
        guard let status = fileSystem.linkStatus(hostPath) else {
            return .missing(insidePath: "/" + resolved.joined(separator: "/"))
        }
        return .found(insidePath: "/" + resolved.joined(separator: "/"), hostPath: hostPath, status: status)
    }

    /// The first component of `path` (a normalised absolute path) that is a symlink, with its
    /// target; nil when no existing component is one. Components past the first missing one do
    /// not exist yet, so they cannot be symlinks.
    func firstSymlink(in path: String) -> (insidePath: String, target: String?)? {
        var prefix: [Substring] = []
        for component in PathNormalization.components(path) {
            prefix.append(component)
            let hostPath = PathNormalization.join(root, prefix)
            guard let status = fileSystem.linkStatus(hostPath) else { return nil }
            if status.kind == .symlink {
                return ("/" + prefix.joined(separator: "/"), fileSystem.symlinkTarget(hostPath))
            }
        }
        return nil
    }
}
