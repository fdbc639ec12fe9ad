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
    func resolve(_ path: String) -> Outcome { resolveLocated(path).outcome }

    /// `resolve`, and for a lookup that failed, the index (in `PathNormalization.components(path)`)
    /// of the component of `path` it could not get past: the missing one, or the symlink whose
    /// target is missing or loops. Diagnostics point there.
    func resolveLocated(_ path: String) -> (outcome: Outcome, failedComponent: Int?) {
        var resolved: [Substring] = []
        // The components still to walk, last to walk first (so popLast is the next one), each
        // with the component of `path` it comes from (a symlink's target, from the symlink).
        var pending = PathNormalization.components(path).enumerated().map { ($0.element, $0.offset) }.reversed()
            .map { $0 }
        var symlinksFollowed = 0
        while let (component, written) = pending.popLast() {
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = resolved + [component]
            let hostPath = PathNormalization.join(root, candidate)
            guard let status = fileSystem.linkStatus(hostPath) else {
                return (.missing(insidePath: "/" + PathNormalization.joined(candidate, separator: "/")), written)
            }
            guard status.kind == .symlink else {
                resolved = candidate
                continue
            }
            symlinksFollowed += 1
            guard symlinksFollowed <= Self.symlinkLimit else { return (.symlinkLoop, written) }
            guard let target = fileSystem.symlinkTarget(hostPath) else {
                return (.missing(insidePath: "/" + PathNormalization.joined(candidate, separator: "/")), written)
            }
            if target.hasPrefix("/") { resolved = [] }
            pending.append(contentsOf: PathNormalization.components(target).reversed().map { ($0, written) })
        }
        let hostPath = PathNormalization.join(root, resolved)
        guard let status = fileSystem.linkStatus(hostPath) else {
            return (.missing(insidePath: "/" + PathNormalization.joined(resolved, separator: "/")), nil)
        }
        return (.found(insidePath: "/" + PathNormalization.joined(resolved, separator: "/"), hostPath: hostPath, status: status), nil)
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
                return ("/" + PathNormalization.joined(prefix, separator: "/"), fileSystem.symlinkTarget(hostPath))
            }
        }
        return nil
    }
}
