//! The sample posts in `content/`, built into the binary to seed the app's very first library.
//! Only the app seeds (on the default library, or with `--with-samples`); the CLI never does.
use crate::error::Result;
use crate::library::Library;

/// File name and text of each sample post.
pub const SAMPLE_POSTS: &[(&str, &str)] = &[
    ("go-concurrency-patterns.md", include_str!("../content/go-concurrency-patterns.md")),
    ("ebpf-tracing-from-scratch.md", include_str!("../content/ebpf-tracing-from-scratch.md")),
    ("x86-64-calling-conventions.md", include_str!("../content/x86-64-calling-conventions.md")),
];

/// Adds every sample post to a library, marked as samples: export leaves them out until the
/// writer has edited one and changed its status.
pub fn seed(library: &mut Library) -> Result<()> {
    let texts: Vec<&str> = SAMPLE_POSTS.iter().map(|(_, text)| *text).collect();
    library.create_sample_posts(&texts)?;
    Ok(())
}
