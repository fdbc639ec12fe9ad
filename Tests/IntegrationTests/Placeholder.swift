import Testing

@Test func placeholder_Integration() { #expect(Bool(true)) }
