//! Line diffs of two texts (the `similar` crate's Myers with a deadline): revision history shows
//! them, and sync shows one for a conflict between the site file and the post.
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

/// Lines of unchanged context around each change in a diff.
const DIFF_CONTEXT_LINES: usize = 3;

/// What a diff line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum DiffKind {
    /// In both texts.
    Equal,
    /// Only in the newer text.
    Insert,
    /// Only in the older text.
    Delete,
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DiffLine {
    /// Unchanged, inserted or deleted.
    pub kind: DiffKind,
    /// 1-based line number in the older text (none for insertions).
    pub old_line: Option<usize>,
    /// 1-based line number in the newer text (none for deletions).
    pub new_line: Option<usize>,
    /// The line without its line break.
    pub text: String,
}

/// A group of nearby changes with a few lines of context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DiffHunk {
    /// First line of the hunk in the older text (1-based).
    pub old_start: usize,
    /// Lines of the older text in the hunk.
    pub old_lines: usize,
    /// First line of the hunk in the newer text (1-based).
    pub new_start: usize,
    /// Lines of the newer text in the hunk.
    pub new_lines: usize,
    /// The lines.
    pub lines: Vec<DiffLine>,
}

/// Line diff of two texts (Myers, with a deadline so a huge rewrite cannot stall the UI).
pub fn diff_texts(old: &str, new: &str) -> (Vec<DiffHunk>, usize, usize) {
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).deadline(Instant::now() + Duration::from_millis(500)).diff_lines(old, new);
    let mut inserted = 0;
    let mut deleted = 0;
    let mut hunks = Vec::new();
    for group in diff.grouped_ops(DIFF_CONTEXT_LINES) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => DiffKind::Equal,
                    ChangeTag::Insert => {
                        inserted += 1;
                        DiffKind::Insert
                    }
                    ChangeTag::Delete => {
                        deleted += 1;
                        DiffKind::Delete
                    }
                };
                let text = change.value().trim_end_matches('\n').trim_end_matches('\r').to_string();
                lines.push(DiffLine {
                    kind,
                    old_line: change.old_index().map(|i| i + 1),
                    new_line: change.new_index().map(|i| i + 1),
                    text,
                });
            }
        }
        hunks.push(DiffHunk {
            old_start: old_range.start + 1,
            old_lines: old_range.len(),
            new_start: new_range.start + 1,
            new_lines: new_range.len(),
            lines,
        });
    }
    (hunks, inserted, deleted)
}

/// Hunks as unified diff text (`@@ -a,b +c,d @@` hunks, `+`/`-`/` ` lines).
pub fn unified(hunks: &[DiffHunk]) -> String {
    let mut out = String::new();
    for hunk in hunks {
        out.push_str(&format!("@@ -{},{} +{},{} @@\n", hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines));
        for line in &hunk.lines {
            let sign = match line.kind {
                DiffKind::Equal => ' ',
                DiffKind::Insert => '+',
                DiffKind::Delete => '-',
            };
            out.push(sign);
            out.push_str(&line.text);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_texts_numbers_lines() {
        let (hunks, inserted, deleted) = diff_texts("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!((inserted, deleted), (2, 1));
        assert_eq!(hunks.len(), 1);
        let kinds: Vec<_> = hunks[0].lines.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![(DiffKind::Equal, "a"), (DiffKind::Delete, "b"), (DiffKind::Insert, "B"), (DiffKind::Equal, "c"), (DiffKind::Insert, "d")]
        );
        assert!(diff_texts("same\n", "same\n").0.is_empty());
    }
}
