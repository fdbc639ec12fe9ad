/// A validated container name: `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`, not `.` or `..`.
///
/// Every path under the state directory is formed from a `ContainerName`, never from a raw
/// string, so `container kill ../../etc/x` is refused before any file is touched.
public struct ContainerName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Why a string is not a container name.
    public struct InvalidName: Error, Sendable, CustomStringConvertible {
        public let name: String
        public let reason: String
        public var description: String { "invalid container name '\(name)': \(reason)" }
    }

    public init(validating name: String) throws(InvalidName) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { throw InvalidName(name: name, reason: "it is empty") }
        guard bytes.count <= 64 else {
            throw InvalidName(name: name, reason: "it is longer than 64 characters")
        }
        guard name != ".", name != ".." else {
            throw InvalidName(name: name, reason: "'.' and '..' are not names")
        }
        func isAlnum(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard isAlnum(bytes[0]) else {
            throw InvalidName(name: name, reason: "it must start with a letter or a digit")
        }
        for b in bytes.dropFirst() where !(isAlnum(b) || b == 0x5F || b == 0x2E || b == 0x2D) {
            throw InvalidName(
                name: name, reason: "only letters, digits, '_', '.' and '-' are allowed")
        }
        self.rawValue = name
    }

    /// True when `name` is a valid container name.
    public static func isValid(_ name: String) -> Bool {
        (try? ContainerName(validating: name)) != nil
    }

    public var description: String { rawValue }
    public static func < (a: ContainerName, b: ContainerName) -> Bool { a.rawValue < b.rawValue }
}
