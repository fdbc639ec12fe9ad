import ConfigLanguage
import Diagnostics

/// Rules that depend on the namespace set: `id-map-without-user-namespace`.
enum NamespaceRules {
    static func apply(to context: inout CheckContext) {
        guard let idMap = context.config.idMapStart, idMap.value != nil,
              let namespaces = context.config.namespaces?.value,
              !namespaces.contains(.user)
        else { return }
        context.emit(.idMapWithoutUserNamespace(at: idMap.keyRange))
    }
}
