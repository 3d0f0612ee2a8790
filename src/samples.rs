//! The sample posts in `content/`, built into the binary to seed a new library.
use crate::error::Result;
use crate::library::{Library, Status};

/// File name and text of each sample post.
pub const SAMPLE_POSTS: &[(&str, &str)] = &[
    ("go-concurrency-patterns.md", include_str!("../content/go-concurrency-patterns.md")),
    ("ebpf-tracing-from-scratch.md", include_str!("../content/ebpf-tracing-from-scratch.md")),
    ("x86-64-calling-conventions.md", include_str!("../content/x86-64-calling-conventions.md")),
];

/// Adds every sample post to a library (used when the default library is created).
pub fn seed(library: &mut Library) -> Result<()> {
    for (_, text) in SAMPLE_POSTS {
        library.create_post(text, Status::Published)?;
    }
    Ok(())
}
