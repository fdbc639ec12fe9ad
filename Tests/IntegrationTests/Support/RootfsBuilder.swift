import Foundation

/// Builds a minimal root filesystem from the static busybox of the `busybox-static` package.
enum RootfsBuilder {
    /// Where the static busybox is installed on the host.
    static let busybox = "/bin/busybox"

    /// `ROOT/bin/busybox` plus one symlink per applet (`sh`, `cat`, `hostname`, `sleep`,
    /// `mount`, `id`, `chroot`, …) and the empty directories a container expects. Everything
    /// is root-owned, directories mode 0755.
    static func build(at root: String) throws {
        let manager = FileManager.default
        for directory in ["", "/bin", "/sbin", "/proc", "/dev", "/tmp", "/sys", "/etc", "/root", "/mnt"] {
            try manager.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
            chmod(root + directory, 0o755)
        }
        guard manager.isExecutableFile(atPath: busybox) else {
            throw TestFailure("\(busybox) is missing: apt-get install busybox-static")
        }
        try manager.copyItem(atPath: busybox, toPath: root + "/bin/busybox")
        chmod(root + "/bin/busybox", 0o755)
        for applet in try applets() where applet != "busybox" {
            try manager.createSymbolicLink(atPath: root + "/bin/" + applet, withDestinationPath: "busybox")
        }
        try Data("root:x:0:0:root:/root:/bin/sh\n".utf8).write(to: URL(fileURLWithPath: root + "/etc/passwd"))
        try Data("root:x:0:\n".utf8).write(to: URL(fileURLWithPath: root + "/etc/group"))
    }

    /// The applet names `busybox --list` prints.
    static func applets() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: busybox)
        process.arguments = ["--list"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let names = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard names.contains("sh"), names.contains("sleep") else {
            throw TestFailure("busybox --list did not list sh and sleep")
        }
        return names.filter { !$0.contains("/") }
    }
}
