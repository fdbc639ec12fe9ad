import Foundation
import LaunchPlan
import Testing

/// FIPS 180-4 / NIST CAVP example vectors, plus every padding boundary checked against the
/// system's sha256sum.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(input: String, expected: String) {
        #expect(SHA256.hexDigest(Array(input.utf8)) == expected)
    }

    @Test func millionAs() {
        #expect(
            SHA256.hexDigest(repeatElement(UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        hasher.update(bytes[..<7])
        hasher.update(bytes[7..<500])
        hasher.update(bytes[500...])
        #expect(SHA256.hex(hasher.finalize()) == SHA256.hexDigest(bytes))
    }

    /// Lengths around the 56- and 64-byte padding boundaries, compared with coreutils.
    @Test(arguments: [55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129])
    func paddingBoundaries(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = String(text.prefix(64))
        #expect(SHA256.hexDigest(bytes) == expected)
    }

    @Test func configHashShape() {
        let hash = ConfigHash.of(Array("root=/srv/web\n".utf8))
        #expect(hash.hasPrefix("sha256:"))
        #expect(ConfigHash.isWellFormed(hash))
        #expect(!ConfigHash.isWellFormed("sha256:" + String(repeating: "A", count: 64)))
        #expect(!ConfigHash.isWellFormed("sha256:abc"))
        #expect(!ConfigHash.isWellFormed("md5:" + String(repeating: "0", count: 64)))
    }
}
