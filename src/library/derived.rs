//! The columns derived from a post's text (title, dates, excerpt, tags, words, minutes) and its
//! full-text entry: written after every change of the text, per post or for a whole batch.
use rusqlite::params;

use super::counting::count_alongside;
use crate::front_matter;
use crate::stats::{self, excerpt_of};

/// Recomputes the columns derived from the text (title, dates, excerpt, tags, stats) and the
/// search entry (only for posts not in the trash), inside the caller's transaction.
pub(super) fn write_derived(tx: &rusqlite::Transaction, id: i64, block: &str, body: &str) -> rusqlite::Result<()> {
    let fields = front_matter::parse_fields(block);
    let counted = stats::stats(body);
    write_derived_columns(tx, id, &fields, &counted, body)?;
    write_inferred_date(tx, id, block, &fields)?;
    write_minutes(tx, id, &counted)?;
    write_search(tx, id, &fields, body)
}

/// For a post without a date key: the day inferred from its file name, URL keys or folders
/// (`dates::infer_date`), written as its day and sort key and marked inferred with where it came
/// from (schema v9; `date_source` is "" for a post with its own date or none at all).
pub(super) fn write_inferred_date(tx: &rusqlite::Transaction, id: i64, block: &str, fields: &front_matter::Fields) -> rusqlite::Result<()> {
    let inferred = if crate::dates::parse_date(&fields.date).is_some() {
        None
    } else {
        let source: Option<String> =
            tx.prepare_cached("SELECT source_path FROM posts WHERE id = ?1")?.query_row(params![id], |row| row.get(0))?;
        let urls = front_matter::parse(block).map(|parsed| crate::export_changes::url_values(&parsed)).unwrap_or_default();
        crate::dates::infer_date(source.as_deref(), &urls.iter().map(String::as_str).collect::<Vec<_>>())
    };
    match inferred {
        Some(date) => tx.prepare_cached("UPDATE posts SET day = ?2, date_key = ?3, date_source = ?4 WHERE id = ?1")?.execute(params![
            id,
            date.day,
            format!("{}T00:00:00", date.day),
            date.source.as_str()
        ])?,
        None => tx.prepare_cached("UPDATE posts SET date_source = '' WHERE id = ?1 AND date_source <> ''")?.execute(params![id])?,
    };
    Ok(())
}

/// Writes the minutes under every profile (schema v6; kept apart from the columns of v3, which
/// migration 003's hook writes before this column exists).
pub(super) fn write_minutes(tx: &rusqlite::Transaction, id: i64, counted: &stats::Stats) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE posts SET minutes_json = ?2 WHERE id = ?1")?.execute(params![id, minutes_json(counted)])?;
    Ok(())
}

/// Writes the derived columns and the tags of one post (the first half of [`write_derived`]).
pub(super) fn write_derived_columns(
    tx: &rusqlite::Transaction,
    id: i64,
    fields: &front_matter::Fields,
    counted: &stats::Stats,
    body: &str,
) -> rusqlite::Result<()> {
    let date = crate::dates::parse_date(&fields.date);
    let tags_json = serde_json::to_string(&fields.tags).unwrap_or_else(|_| "[]".into());
    tx.prepare_cached(
        "UPDATE posts SET title = ?2, date = ?3, summary = ?4, category = ?5, words = ?6, reading_minutes = ?7, \
         updated = ?8, day = ?9, date_key = ?10, excerpt = ?11, tags_json = ?12 WHERE id = ?1",
    )?
    .execute(params![
        id,
        fields.title,
        fields.date,
        fields.summary,
        fields.category,
        counted.words as i64,
        counted.reading_minutes as i64,
        fields.updated,
        date.as_ref().map_or("", |d| d.day.as_str()),
        date.as_ref().map_or("", |d| d.sort_key.as_str()),
        excerpt_of(&fields.summary, body),
        tags_json,
    ])?;
    tx.prepare_cached("DELETE FROM tags WHERE post_id = ?1")?.execute(params![id])?;
    let mut insert_tag = tx.prepare_cached("INSERT OR IGNORE INTO tags (post_id, tag, position) VALUES (?1, ?2, ?3)")?;
    for (position, tag) in fields.tags.iter().enumerate() {
        insert_tag.execute(params![id, tag, position as i64])?;
    }
    Ok(())
}

/// Replaces one post's full-text entry (none for a post in the trash): the second half of
/// [`write_derived`].
pub(super) fn write_search(tx: &rusqlite::Transaction, id: i64, fields: &front_matter::Fields, body: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM posts_fts WHERE rowid = ?1")?.execute(params![id])?;
    // Checked here rather than with `INSERT … SELECT … WHERE EXISTS`: an insert from a SELECT
    // opens a statement journal, which makes FTS5 flush the pending entries of a batch (see
    // `write_batch`).
    let live = tx.prepare_cached("SELECT 1 FROM posts WHERE id = ?1 AND deleted_at IS NULL")?.exists(params![id])?;
    if live {
        tx.prepare_cached("INSERT INTO posts_fts (rowid, title, summary, body, tags) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(params![
            id,
            fields.title,
            fields.summary,
            body,
            fields.tags.join(" ")
        ])?;
    }
    Ok(())
}

/// Writes a batch of posts (an import, a bulk create) inside `tx`: `insert` writes their rows
/// (front matter and body) and returns their ids in the order of `texts`; then each post gets its
/// full-text entry, and then its derived columns and tags followed by `then(index, id)` (its
/// revision, its site record). The rows are the same as [`write_derived`] per post would write,
/// provided no post is written twice in one batch (its revisions would all get the last text).
///
/// The order is for speed. FTS5 flushes its pending entries to a new on-disk segment whenever a
/// statement of the transaction opens a statement journal (its xSavepoint), which a revision's
/// `INSERT … SELECT` does: interleaved, every post became its own segment, merged again and again
/// (a third of a 337-post import). Written together, the entries are flushed once. Meanwhile the
/// bodies are counted (a Markdown parse each, the other big cost) on helper threads.
pub(super) fn write_batch<E: From<rusqlite::Error>>(
    tx: &rusqlite::Transaction,
    texts: &[(&str, &str)],
    insert: impl FnOnce() -> std::result::Result<Vec<i64>, E>,
    mut then: impl FnMut(usize, i64) -> std::result::Result<(), E>,
) -> std::result::Result<Vec<i64>, E> {
    let fields: Vec<front_matter::Fields> = texts.iter().map(|&(block, _)| front_matter::parse_fields(block)).collect();
    let bodies: Vec<&str> = texts.iter().map(|&(_, body)| body).collect();
    let (ids, counted) = count_alongside(&bodies, || -> std::result::Result<Vec<i64>, E> {
        let ids = insert()?;
        for ((&id, fields), body) in ids.iter().zip(&fields).zip(&bodies) {
            write_search(tx, id, fields, body)?;
        }
        Ok(ids)
    })?;
    for (index, (&id, ((fields, counted), body))) in ids.iter().zip(fields.iter().zip(&counted).zip(&bodies)).enumerate() {
        write_derived_columns(tx, id, fields, counted, body)?;
        write_inferred_date(tx, id, texts[index].0, fields)?;
        write_minutes(tx, id, counted)?;
        then(index, id)?;
    }
    Ok(ids)
}

/// The reading minutes under every profile as stored in `posts.minutes_json`.
fn minutes_json(counted: &stats::Stats) -> String {
    serde_json::to_string(&counted.minutes_by_profile).unwrap_or_else(|_| "{}".into())
}
