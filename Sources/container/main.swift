import ContainerCommands

ContainerCommand.runMain()
