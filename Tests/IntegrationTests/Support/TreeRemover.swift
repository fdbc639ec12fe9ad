import Foundation

/// Deletes a test's temporary tree without ever leaving it: symlinks are removed, never
/// followed, and a directory on another filesystem (a mount that is somehow still there) is
/// left alone instead of being emptied, so cleanup cannot delete host files.
enum TreeRemover {
    static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        removeEntry(path, device: info.st_dev)
    }

    private static func removeEntry(_ path: String, device: dev_t) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlink(path)
            return
        }
        guard info.st_dev == device else { return }
        for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            removeEntry(path + "/" + child, device: device)
        }
        rmdir(path)
    }
}
