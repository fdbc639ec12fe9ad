import ArgumentParser
import Testing

@testable import ContainerCommands

/// `ContainerCommand.subcommand(named:)` is the fast path's shortcut for the root's list of
/// subcommands: the two must name the same types by the same names.
@Suite struct SubcommandLookupTests {
    @Test func everySubcommandIsFoundByItsNameAndNothingElse() throws {
        for type in ContainerCommand.configuration.subcommands {
            let name = try #require(type.configuration.commandName)
            let found = ContainerCommand.subcommand(named: name)
            #expect(found.map(ObjectIdentifier.init) == ObjectIdentifier(type), "\(name)")
        }
        for name in ["", "help", "container", "Start", "start ", "startall"] {
            #expect(ContainerCommand.subcommand(named: name) == nil, "\(name)")
        }
    }

    /// A subcommand names the root as its `_superCommandName`, which ArgumentParser reads only
    /// when that subcommand is where a parse starts (the fast path): it then skips the
    /// completion-script check. The full parse starts at the root, which has none.
    @Test func onlySubcommandsNameTheRootAsTheirSuperCommand() {
        #expect(ContainerCommand.configuration._superCommandName == nil)
        for type in ContainerCommand.configuration.subcommands {
            #expect(type.configuration._superCommandName == "container")
        }
    }
}
