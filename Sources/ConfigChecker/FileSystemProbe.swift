/// What the checker needs to know about one file.
public struct FileStatus: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case regular, directory, symlink, other
    }
    public var kind: Kind
    /// Permission bits (`st_mode & 0o7777`).
    public var permissions: UInt32
    public var ownerID: UInt32

    public init(kind: Kind, permissions: UInt32, ownerID: UInt32 = 0) {
        self.kind = kind
        self.permissions = permissions
        self.ownerID = ownerID
    }

    /// Any execute bit set: root may execute such a file (execve's rule for uid 0).
    public var isExecutableByRoot: Bool { permissions & 0o111 != 0 }

    /// A human description for messages ("a regular file", "a directory").
    public var kindDescription: String {
        switch kind {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symlink: "a symbolic link"
        case .other: "a special file"
        }
    }
}

/// The read-only view of the host filesystem the F rules use (language.md §3). The checker never
/// touches the filesystem except through this, so unit tests run against an in-memory fake and
/// fixture tests against a directory tree under a temporary prefix.
///
/// All paths are absolute host paths. `nil` means "cannot be reached" (absent, or a component
/// that is not a directory, or no permission): the checker reports all of these as not found.
public protocol FileSystemProbe: Sendable {
    /// The status of `path` itself, not following a final symlink.
    func linkStatus(_ path: String) -> FileStatus?
    /// The status of what `path` leads to, following symlinks.
    func status(_ path: String) -> FileStatus?
    /// The target of the symlink at `path`, as stored.
    func symlinkTarget(_ path: String) -> String?
    /// At most `maxBytes` bytes from the start of the regular file at `path`.
    func readPrefix(_ path: String, maxBytes: Int) -> [UInt8]?
    /// Whether the tree at `path` (its submounts included) can be mounted idmapped.
    func idmapSupport(_ path: String) -> IDMapSupport
}

/// Whether a path can be mounted idmapped (`id_map_mode=idmap`, language.md §12).
public enum IDMapSupport: Sendable, Equatable {
    case supported
    /// `fileSystem` names the filesystem (`ramfs`, or its statfs magic), `reason` says who
    /// said so (the kernel's errno, or the list of known filesystems).
    case unsupported(fileSystem: String, reason: String)
    /// Neither the kernel nor the list could tell (not root, an unlisted filesystem): no
    /// diagnostic, the start will tell.
    case unknown
}

extension FileSystemProbe {
    /// The default for probes that cannot ask a kernel (fakes): unknown, so no diagnostic.
    public func idmapSupport(_ path: String) -> IDMapSupport { .unknown }
}
