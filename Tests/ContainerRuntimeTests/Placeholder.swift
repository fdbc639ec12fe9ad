import Testing

@Test func placeholder_ContainerRuntime() { #expect(Bool(true)) }
