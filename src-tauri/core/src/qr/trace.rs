//! The benchmark's trace of a search: which steps found something, and how long they took.

/// Hears the search's steps. Each line comes as a closure that formats it, so that the
/// ordinary decode, which traces to [`Silent`], formats nothing.
pub(super) trait Trace {
    fn step(&mut self, line: impl FnOnce() -> String);
}

/// No one listening: the trace of every decode but the benchmark's.
pub(super) struct Silent;

impl Trace for Silent {
    fn step(&mut self, _line: impl FnOnce() -> String) {}
}

/// Every line, in order: the trace of `decode_traced`.
#[cfg(feature = "bench")]
impl Trace for Vec<String> {
    fn step(&mut self, line: impl FnOnce() -> String) {
        self.push(line());
    }
}
