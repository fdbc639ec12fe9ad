/// The catalogue of diagnostic codes. Each code is stable (scripts and CI filters match on it),
/// documented in docs/diagnostics.md, and covered by at least one fixture in Fixtures/check/.
public enum DiagnosticID: String, Sendable, CaseIterable {
    // File and line syntax (KEY=VALUE form, language.md §2)
    case fileTooLarge = "file-too-large"
    case invalidUTF8 = "invalid-utf8"
    case nulByte = "nul-byte"
    case crlfLineEnding = "crlf-line-ending"
    case missingEquals = "missing-equals"
    case emptyKey = "empty-key"
    case whitespaceInKey = "whitespace-in-key"
    case unknownKey = "unknown-key"
    case duplicateKey = "duplicate-key"
    case missingRequiredKey = "missing-required-key"
    case trailingWhitespace = "trailing-whitespace"
    case commentInValue = "comment-in-value"

    // YAML form (language.md §4)
    case yamlSyntax = "yaml-syntax"
    case yamlNotMapping = "yaml-not-mapping"
    case yamlWrongType = "yaml-wrong-type"
    case yamlUnknownField = "yaml-unknown-field"
    case yamlMissingField = "yaml-missing-field"
    case yamlUnsupported = "yaml-unsupported"

    // Paths (root, init, mounts)
    case pathNotAbsolute = "path-not-absolute"
    case pathNotNormalized = "path-not-normalized"
    case emptyValue = "empty-value"
    case rootNotFound = "root-not-found"
    case rootNotDirectory = "root-not-directory"
    case rootIsSymlink = "root-is-symlink"
    case rootInsecure = "root-insecure"
    case initNotFound = "init-not-found"
    case initNotExecutable = "init-not-executable"
    case initInterpreterMissing = "init-interpreter-missing"

    // Namespaces
    case unknownNamespace = "unknown-namespace"
    case duplicateNamespace = "duplicate-namespace"
    case namespaceMixedWithAll = "namespace-mixed-with-all"
    case emptyNamespaces = "empty-namespaces"

    // Sizes and numbers
    case invalidSize = "invalid-size"
    case unknownSizeSuffix = "unknown-size-suffix"
    case zeroSize = "zero-size"
    case sizeOverflow = "size-overflow"
    case sizeTooSmall = "size-too-small"
    case memoryTotalBelowPhysical = "memory-total-below-physical"
    case invalidNumber = "invalid-number"
    case numberOutOfRange = "number-out-of-range"
    case controllerMissing = "controller-missing"
    case netClassIDNoEffect = "net-classid-no-effect"
    case cgroupUnusable = "cgroup-unusable"
    case idMapWithoutUserNamespace = "id-map-without-user-namespace"
    case invalidSignal = "invalid-signal"
    // id_map_mode and idmapped mounts (language.md §12)
    case invalidIDMapMode = "invalid-id-map-mode"
    case idmapUnsupported = "idmap-unsupported"
    case idMapModeMismatch = "id-map-mode-mismatch"

    // Mounts
    case invalidMount = "invalid-mount"
    case ambiguousMount = "ambiguous-mount"
    case mountDestinationDotDot = "mount-destination-dotdot"
    case mountDestinationRoot = "mount-destination-root"
    case duplicateMountDestination = "duplicate-mount-destination"
    case mountSourceNotFound = "mount-source-not-found"
    case mountDestinationSymlink = "mount-destination-symlink"

    // Block I/O limits
    case invalidDeviceLimit = "invalid-device-limit"
    case deviceMajorOutOfRange = "device-major-out-of-range"
    case deviceMinorOutOfRange = "device-minor-out-of-range"
    case duplicateDeviceLimit = "duplicate-device-limit"
    case blockDeviceNotFound = "block-device-not-found"
    case blockDeviceIsPartition = "block-device-is-partition"

    // Networking (language.md §9)
    case invalidNetAddress = "invalid-net-address"
    case invalidInterfaceName = "invalid-interface-name"
    case networkWithoutNetNamespace = "network-without-net-namespace"
    case networkKeyRequires = "network-key-requires"
    case netGatewayOutsideSubnet = "net-gateway-outside-subnet"
    case netBridgeNotFound = "net-bridge-not-found"
    case netBridgeNotBridge = "net-bridge-not-bridge"
    case duplicateNetAddress = "duplicate-net-address"

    // Files of a container (language.md §1)
    case duplicateConfig = "duplicate-config"

    // The switches below have no `default:`: a new code must say its severity and whether it
    // reads the filesystem.

    /// The severity a diagnostic of this code has unless `--strict` promotes it.
    public var defaultSeverity: Severity {
        switch self {
        case .trailingWhitespace, .commentInValue, .pathNotNormalized, .rootInsecure,
            .initInterpreterMissing, .duplicateNamespace, .sizeTooSmall, .controllerMissing,
            .netClassIDNoEffect, .idMapWithoutUserNamespace, .blockDeviceIsPartition,
            .duplicateNetAddress, .idMapModeMismatch:
            .warning
        case .fileTooLarge, .invalidUTF8, .nulByte, .crlfLineEnding, .missingEquals, .emptyKey,
            .whitespaceInKey, .unknownKey, .duplicateKey, .missingRequiredKey, .yamlSyntax,
            .yamlNotMapping, .yamlWrongType, .yamlUnknownField, .yamlMissingField, .yamlUnsupported,
            .pathNotAbsolute, .emptyValue, .rootNotFound, .rootNotDirectory, .rootIsSymlink,
            .initNotFound, .initNotExecutable, .unknownNamespace, .namespaceMixedWithAll,
            .emptyNamespaces, .invalidSize, .unknownSizeSuffix, .zeroSize, .sizeOverflow,
            .memoryTotalBelowPhysical, .invalidNumber, .numberOutOfRange, .invalidMount, .ambiguousMount,
            .mountDestinationDotDot, .mountDestinationRoot, .duplicateMountDestination,
            .mountSourceNotFound, .mountDestinationSymlink, .invalidDeviceLimit, .deviceMajorOutOfRange,
            .deviceMinorOutOfRange, .duplicateDeviceLimit, .blockDeviceNotFound, .duplicateConfig,
            .cgroupUnusable, .invalidNetAddress, .invalidInterfaceName, .networkWithoutNetNamespace,
            .networkKeyRequires, .netGatewayOutsideSubnet, .netBridgeNotFound, .netBridgeNotBridge, .invalidSignal, .invalidIDMapMode, .idmapUnsupported:
            .error
        }
    }

    /// True for the checks that read the filesystem (skipped under `--no-filesystem`).
    public var needsFilesystem: Bool {
        switch self {
        case .rootNotFound, .rootNotDirectory, .rootIsSymlink, .rootInsecure, .initNotFound,
            .initNotExecutable, .initInterpreterMissing, .controllerMissing, .cgroupUnusable, .mountSourceNotFound,
            .mountDestinationSymlink, .blockDeviceNotFound, .blockDeviceIsPartition, .netBridgeNotFound,
            .netBridgeNotBridge, .idmapUnsupported, .idMapModeMismatch:
            true
        case .fileTooLarge, .invalidUTF8, .nulByte, .crlfLineEnding, .missingEquals, .emptyKey,
            .whitespaceInKey, .unknownKey, .duplicateKey, .missingRequiredKey, .trailingWhitespace,
            .commentInValue, .yamlSyntax, .yamlNotMapping, .yamlWrongType, .yamlUnknownField,
            .yamlMissingField, .yamlUnsupported, .pathNotAbsolute, .pathNotNormalized, .emptyValue,
            .unknownNamespace, .duplicateNamespace, .namespaceMixedWithAll, .emptyNamespaces,
            .invalidSize, .unknownSizeSuffix, .zeroSize, .sizeOverflow, .sizeTooSmall,
            .memoryTotalBelowPhysical, .invalidNumber, .numberOutOfRange, .netClassIDNoEffect,
            .idMapWithoutUserNamespace, .invalidMount, .ambiguousMount, .mountDestinationDotDot,
            .mountDestinationRoot, .duplicateMountDestination, .invalidDeviceLimit,
            .deviceMajorOutOfRange, .deviceMinorOutOfRange, .duplicateDeviceLimit, .duplicateConfig,
            .invalidNetAddress, .invalidInterfaceName, .networkWithoutNetNamespace, .networkKeyRequires,
            .netGatewayOutsideSubnet, .duplicateNetAddress, .invalidSignal, .invalidIDMapMode:
            false
        }
    }
}
