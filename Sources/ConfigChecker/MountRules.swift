import ConfigLanguage
import ConfigSource
import Diagnostics

/// Rules on mount destinations (language.md §3): no `..` (`mount-destination-dotdot`), not the
/// root itself (`mount-destination-root`), normal form (`path-not-normalized` with a fix-it),
/// and no destination twice (`duplicate-mount-destination`, compared in normal form, across
/// `mount` and `mount_ro`, with a note at the first).
enum MountRules {
    static func apply(to context: inout CheckContext) {
        var firstUse: [String: SourceRange] = [:]
        var normalizedDestinations: [String?] = []
        for setting in context.config.mounts {
            let normalized = setting.value.flatMap { checkDestination($0.destination, &context) }
            normalizedDestinations.append(normalized)
            guard let normalized, let mount = setting.value else { continue }
            if let first = firstUse[normalized] {
                context.emit(.duplicateMountDestination(normalized, at: mount.destination.range, firstAt: first))
            } else {
                firstUse[normalized] = mount.destination.range
            }
        }
        context.normalizedMountDestinations = normalizedDestinations
    }

    /// The normalised destination, or nil (with a diagnostic unless the parser had one) when
    /// it cannot be used.
    private static func checkDestination(_ destination: Located<String>, _ context: inout CheckContext) -> String? {
        let path = destination.value
        guard path.hasPrefix("/") else { return nil }  // the parser reports a relative path
        let written = context.writtenPath(path, at: destination.range)
        if PathNormalization.containsDotDot(path) {
            context.emit(.mountDestinationDotDot(path, at: written.firstDotDot ?? destination.range))
            return nil
        }
        let normalized = PathNormalization.normalize(path)
        if normalized == "/" {
            context.emit(.mountDestinationRoot(path, at: destination.range))
            return nil
        }
        if normalized != path {
            context.emit(
                .pathNotNormalized(
                    "mount destination", path: path, normalized: normalized,
                    at: written.firstDenormalization ?? destination.range,
                    pathAt: destination.range))
        }
        return normalized
    }
}
