import ConfigLanguage
import ConfigSource
import Diagnostics

/// F rules on `init`.
///
/// Inside the root (the default), the path is resolved as the container will see it
/// (`RootedPathResolver`: symlinks followed, never out of the root) and must be an executable
/// regular file (`init-not-found`, `init-not-executable`); a `#!` script's interpreter must
/// resolve inside the root too (`init-interpreter-missing`, a warning: the kernel would fail
/// the exec with ENOENT, which is a puzzling error to debug). A host init (`@/path`) must exist
/// on the host and be executable; its interpreter is not checked.
enum InitFilesystemRules {
    /// How much of a file the kernel reads for the `#!` line (BINPRM_BUF_SIZE).
    static let shebangBufferSize = 256

    static func apply(to context: inout CheckContext) {
        guard let setting = context.config.initProgram, let program = setting.value,
            program.path.hasPrefix("/")
        else { return }
        let range = setting.valueRange
        switch program.location {
        case .host:
            checkHostInit(program.path, range, &context)
        case .insideRoot:
            guard context.rootIsUsableDirectory, let root = context.normalizedRoot else { return }
            checkInitInsideRoot(program.path, root: root, range, &context)
        }
    }

    private static func checkHostInit(_ path: String, _ range: SourceRange, _ context: inout CheckContext) {
        guard let status = context.fileSystem.status(path) else {
            // At the first component the host's lookup cannot get past.
            let missing = context.writtenPath(path, at: range).firstMissingComponent { context.fileSystem.status($0) != nil }
            context.emit(.initNotFound("@" + path, reason: "does not exist on the host", onHost: true, at: missing))
            return
        }
        if let problem = executionProblem(status, shownAs: nil) {
            context.emit(.initNotExecutable("@" + path, problem: problem, at: range))
        }
    }

    private static func checkInitInsideRoot(
        _ path: String, root: String, _ range: SourceRange,
        _ context: inout CheckContext
    ) {
        let resolver = RootedPathResolver(root: root, fileSystem: context.fileSystem)
        let (outcome, failedComponent) = resolver.resolveLocated(path)
        // A failed lookup is reported at the component it could not get past.
        let failedAt = failedComponent.map { context.writtenPath(path, at: range).walkedComponent($0) } ?? range
        switch outcome {
        case .symlinkLoop:
            context.emit(
                .initNotFound(
                    path, reason: "cannot be resolved inside the root: more than \(RootedPathResolver.symlinkLimit) symbolic links (a loop?)", at: failedAt))
        case .missing(let insidePath):
            let reason =
                insidePath == PathNormalization.normalize(path)
                ? "does not exist inside the root '\(root)'"
                : "does not exist inside the root '\(root)': '\(insidePath)' is missing (symbolic links are followed inside the root, never out of it)"
            context.emit(.initNotFound(path, reason: reason, at: failedAt))
        case .found(let insidePath, let hostPath, let status):
            let shown = insidePath == PathNormalization.normalize(path) ? nil : insidePath
            if let problem = executionProblem(status, shownAs: shown) {
                context.emit(.initNotExecutable(path, problem: problem, at: range))
                return
            }
            checkInterpreter(of: path, hostPath: hostPath, resolver: resolver, range, &context)
        }
    }

    /// Why `status` cannot be exec'd, or nil. `resolvedPath` names where symlinks led, if elsewhere.
    static func executionProblem(_ status: FileStatus, shownAs resolvedPath: String?) -> String? {
        guard status.kind == .regular else {
            let subject = resolvedPath.map { "leads to '\($0)', which is" } ?? "is"
            return "\(subject) \(status.kindDescription), not a regular file"
        }
        guard status.isExecutableByRoot else {
            return "is not executable (mode \(RootFilesystemRules.octal(status.permissions)))"
        }
        return nil
    }

    private static func checkInterpreter(
        of path: String, hostPath: String, resolver: RootedPathResolver,
        _ range: SourceRange, _ context: inout CheckContext
    ) {
        guard let head = context.fileSystem.readPrefix(hostPath, maxBytes: shebangBufferSize),
            let interpreter = shebangInterpreter(head)
        else { return }
        if case .found(_, _, let status) = resolver.resolve(interpreter),
            status.kind == .regular, status.isExecutableByRoot
        {
            return
        }
        context.emit(.initInterpreterMissing(path, interpreter: interpreter, at: range))
    }

    /// The interpreter path of a `#!` line (the first word after `#!`), or nil when the file
    /// is not a script or names no absolute interpreter.
    static func shebangInterpreter(_ head: [UInt8]) -> String? {
        guard head.count > 2, head[0] == UInt8(ascii: "#"), head[1] == UInt8(ascii: "!") else { return nil }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let line = head[2...].prefix { $0 != UInt8(ascii: "\n") }
        let word = line.drop(while: isBlank).prefix { !isBlank($0) && $0 != 0 }
        let interpreter = String(decoding: word, as: UTF8.self)
        return interpreter.hasPrefix("/") ? interpreter : nil
    }
}
