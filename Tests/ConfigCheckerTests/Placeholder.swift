import Testing

@Test func placeholder_ConfigChecker() { #expect(Bool(true)) }
