//! Rendering benchmarks (placeholder while the real bench is written).
fn main() {}
