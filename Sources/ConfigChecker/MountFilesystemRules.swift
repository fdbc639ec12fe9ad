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
                context.emit(.mountSourceNotFound(source, at: mount.source.range))
            }
            guard context.rootIsUsableDirectory, let root = context.normalizedRoot,
                  index < context.normalizedMountDestinations.count,
                  let destination = context.normalizedMountDestinations[index]
            else { continue }
            let resolver = RootedPathResolver(root: root, fileSystem: context.fileSystem)
            guard let symlink = resolver.firstSymlink(in: destination) else { continue }
            var resolved: String?
            if case .found(let insidePath, _, _) = resolver.resolve(destination) { resolved = insidePath }
            context.emit(.mountDestinationSymlink(mount.destination.value, symlink: symlink.insidePath,
                                                  target: symlink.target, resolved: resolved,
                                                  at: mount.destination.range))
        }
    }
}
