import Testing

/// Every integration test, run one at a time: each starts real containers, and the machine
/// has two cores shared with the other test targets. The suites below are nested in this one
/// (`extension Integration { @Suite struct … }`) so that `.serialized` covers them all.
///
/// These tests need root and never skip: a skipped integration test in CI would hide a broken
/// runtime, so without root each one fails with a message saying so.
@Suite(.serialized) struct Integration {}
