import Testing
@testable import ContainerState

@Suite struct ContainerNameTests {
    @Test(arguments: ["web", "a", "A9_.-x", String(repeating: "x", count: 64)])
    func acceptsValidNames(_ name: String) {
        #expect(ContainerName.isValid(name))
    }

    @Test(arguments: [
        "", ".", "..", "../x", "../../etc/shadow", "a/b", "-x", "_x", ".x", "a b",
        "é", String(repeating: "x", count: 65), "x\0y",
    ])
    func refusesInvalidNames(_ name: String) {
        #expect(!ContainerName.isValid(name))
    }

    @Test func editorLeftoversAreNotContainers() {
        #expect(StateDirectory.containerName(forConfigFile: "web~") == nil)
        #expect(StateDirectory.containerName(forConfigFile: ".web.swp") == nil)
        #expect(StateDirectory.containerName(forConfigFile: "web.yaml")?.rawValue == "web")
        #expect(StateDirectory.containerName(forConfigFile: "web.yml")?.rawValue == "web")
        #expect(StateDirectory.containerName(forConfigFile: "web")?.rawValue == "web")
    }
}
