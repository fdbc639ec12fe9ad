import Testing

@Test func placeholder_LaunchPlan() { #expect(Bool(true)) }
