// swift-tools-version:6.0
import PackageDescription

// Data flows one way through these targets:
// ConfigSource → ConfigLanguage (tokens, AST) → ConfigChecker (diagnostics, checked model)
// → LaunchPlan → ContainerRuntime → ContainerEngine (the one entry point). ContainerCommands
// is the thin CLI on top.
let package = Package(
    name: "minimal_containers",
    products: [
        .executable(name: "container", targets: ["container"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "CLinuxShim"),
        // The one syscall layer: FileDescriptor, DirectoryHandle, KernelFile, SystemError.
        .target(name: "SystemIO", dependencies: ["CLinuxShim"]),
        .target(name: "ConfigSource"),
        .target(name: "JSONSupport", dependencies: ["ConfigSource"]),
        .target(name: "ContainerState"),
        // The host's cgroups: one model (versions, v1 and v2 controllers) and one probe.
        .target(name: "HostCgroups", dependencies: ["SystemIO"]),
        .target(name: "Diagnostics", dependencies: ["ConfigSource", "JSONSupport"]),
        .target(name: "ConfigLanguage", dependencies: ["ConfigSource", "Diagnostics", "CLibYAML"]),
        .target(name: "ConfigChecker", dependencies: ["ConfigSource", "Diagnostics", "ConfigLanguage", "HostCgroups", "SystemIO"]),
        .target(name: "LaunchPlan", dependencies: ["ConfigLanguage", "ConfigChecker", "ContainerState", "JSONSupport", "HostCgroups"]),
        .target(name: "ContainerRuntime", dependencies: ["LaunchPlan", "ContainerState", "CLinuxShim", "JSONSupport", "HostCgroups", "SystemIO"]),
        // The second back end: the checked config as an OCI runtime-spec config.json.
        .target(name: "OCIBundle", dependencies: ["ConfigChecker", "ConfigLanguage", "LaunchPlan", "JSONSupport"]),
        // The one entry point of the library: compile (load → check → plan), start, start-all,
        // kill, list. Returns values; never prints.
        .target(
            name: "ContainerEngine",
            dependencies: [
                "ConfigSource", "Diagnostics", "ConfigLanguage", "ConfigChecker", "LaunchPlan",
                "ContainerRuntime", "ContainerState", "HostCgroups", "SystemIO", "OCIBundle",
            ]
        ),
        // The thin CLI: parse, call the engine, print.
        .target(
            name: "ContainerCommands",
            dependencies: [
                "ContainerEngine", "Diagnostics", "LaunchPlan", "ContainerRuntime", "ContainerState", "JSONSupport", "HostCgroups", "SystemIO",
                "OCIBundle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "container", dependencies: ["ContainerCommands"]),

        // Helpers shared by the test targets (seeded random inputs).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ConfigSourceTests", dependencies: ["ConfigSource"]),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "JSONSupportTests", dependencies: ["JSONSupport"]),
        .testTarget(name: "ContainerStateTests", dependencies: ["ContainerState"]),
        .testTarget(name: "HostCgroupsTests", dependencies: ["HostCgroups", "TestSupport"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "ConfigSource", "JSONSupport"]),
        .testTarget(name: "ConfigLanguageTests", dependencies: ["ConfigLanguage", "ConfigSource", "Diagnostics", "TestSupport"]),
        .testTarget(name: "ConfigCheckerTests", dependencies: [
            "ConfigChecker", "ConfigLanguage", "ConfigSource", "Diagnostics", "HostCgroups", "TestSupport",
        ]),
        .testTarget(name: "LaunchPlanTests", dependencies: [
            "LaunchPlan", "ConfigChecker", "ConfigLanguage", "ConfigSource", "ContainerState", "JSONSupport",
            "HostCgroups", "TestSupport",
        ]),
        .testTarget(name: "ContainerRuntimeTests", dependencies: [
            "ContainerRuntime", "LaunchPlan", "ConfigChecker", "ConfigLanguage", "ConfigSource", "ContainerState",
            "CLinuxShim", "HostCgroups", "TestSupport",
        ]),
        .testTarget(name: "OCIBundleTests", dependencies: [
            "OCIBundle", "LaunchPlan", "ConfigChecker", "ConfigLanguage", "ConfigSource", "ContainerState", "JSONSupport",
            "TestSupport",
        ]),
        .testTarget(name: "ContainerEngineTests", dependencies: [
            "ContainerEngine", "HostCgroups", "OCIBundle", "JSONSupport", "ContainerRuntime", "LaunchPlan", "ContainerState", "Diagnostics", "ConfigSource",
        ]),
        .testTarget(name: "ContainerCommandsTests", dependencies: ["ContainerCommands"]),
        // Starts real containers through the built `container` binary (root; never skipped).
        .testTarget(name: "IntegrationTests", dependencies: ["ContainerCommands"]),
    ]
)
