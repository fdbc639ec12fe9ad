import Testing

@Test func placeholder_JSONSupport() { #expect(Bool(true)) }
