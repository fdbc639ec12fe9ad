import ConfigLanguage
import Diagnostics

/// Rules that depend on the namespace set: `id-map-without-user-namespace` (for `id_map_start`
/// and `id_map_mode`).
enum NamespaceRules {
    static func apply(to context: inout CheckContext) {
        guard let namespaces = context.config.namespaces?.value, !namespaces.contains(.user) else { return }
        if let idMap = context.config.idMapStart, idMap.value != nil {
            context.emit(.idMapWithoutUserNamespace(at: idMap.keyRange))
        }
        if let mode = context.config.idMapMode, mode.value != nil {
            context.emit(.idMapWithoutUserNamespace(key: ConfigKey.idMapMode.rawValue, at: mode.keyRange))
        }
    }
}
