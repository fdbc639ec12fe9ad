import ConfigLanguage
import Diagnostics

/// `path-not-normalized` for `root`: the root is compared and printed in normal form, so a
/// spelling like `/srv//web/` gets a warning, at the extra `/`, with a fix-it to `/srv/web`.
enum RootPathRules {
    static func apply(to context: inout CheckContext) {
        guard let setting = context.config.root, let root = setting.value, root.hasPrefix("/") else {
            return  // absent or not absolute: the parser reported it (or the required-key rule will)
        }
        let normalized = PathNormalization.normalize(root)
        context.normalizedRoot = normalized
        if normalized != root {
            let written = context.writtenPath(root, at: setting.valueRange)
            context.emit(
                .pathNotNormalized(
                    "root", path: root, normalized: normalized,
                    at: written.firstDenormalization ?? setting.valueRange,
                    pathAt: setting.valueRange))
        }
    }
}
