import ConfigLanguage
import Diagnostics

/// F rules on mounts: the SOURCE exists on the host (`mount-source-not-found`), and no
/// component of the DEST inside the root is a symlink (`mount-destination-symlink`, an error:
/// the mount is made from the host before pivot_root, so a symlink planted in the root could
/// redirect it onto any host directory).
enum MountFilesystemRules {
    static func apply(to context: inout CheckContext) {
        let mounts = context.config.mounts
        for (index, setting) in mounts.enumerated() {
            guard let mount = setting.value else { continue }
            let source = mount.source.value
            if source.hasPrefix("/"), context.fileSystem.status(source) == nil {
                // At the first component the host's lookup cannot get past.
                let missing = context.writtenPath(source, at: mount.source.range)
                    .firstMissingComponent { context.fileSystem.status($0) != nil }
                context.emit(.mountSourceNotFound(source, at: missing))
            }
            guard context.rootIsUsableDirectory, let root = context.normalizedRoot,
                index < context.normalizedMountDestinations.count,
                let destination = context.normalizedMountDestinations[index]
            else { continue }
            let resolver = RootedPathResolver(root: root, fileSystem: context.fileSystem)
            guard let symlink = resolver.firstSymlink(in: destination) else { continue }
            var resolved: String?
            if case .found(let insidePath, _, _) = resolver.resolve(destination) { resolved = insidePath }
            // At the symlinked component. The destination has no `..` (a rule refused it), so
            // its walked components are those of the normalised path the resolver walked.
            let component = context.writtenPath(mount.destination.value, at: mount.destination.range)
                .walkedComponent(PathNormalization.components(symlink.insidePath).count - 1)
            context.emit(
                .mountDestinationSymlink(
                    mount.destination.value, symlink: symlink.insidePath,
                    target: symlink.target, resolved: resolved,
                    at: component, pathAt: mount.destination.range))
        }
    }
}
