import Testing

@Test func placeholder_ConfigLanguage() { #expect(Bool(true)) }
