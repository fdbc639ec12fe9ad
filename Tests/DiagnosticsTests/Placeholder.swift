import Testing

@Test func placeholder_Diagnostics() { #expect(Bool(true)) }
