import ContainerCommands

ContainerCommand.main()
