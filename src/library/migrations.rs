//! The library's schema: its migrations in order, and the hooks that backfill derived data for
//! the posts an older library already holds.
use rusqlite::params;
use rusqlite_migration::{HookError, Migrations, M};

use super::derived::{write_derived_columns, write_minutes, write_search};
use crate::{front_matter, stats};

pub(super) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("001_initial.sql")),
        M::up(include_str!("002_site.sql")),
        M::up_with_hook(include_str!("003_library.sql"), backfill_derived),
        M::up(include_str!("004_search_and_orders.sql")),
        M::up(include_str!("005_sync.sql")),
        M::up_with_hook(include_str!("006_minutes_by_profile.sql"), backfill_minutes),
        M::up(include_str!("007_samples.sql")),
        M::up(include_str!("008_assets.sql")),
    ])
}

/// Migration 006: minutes under every profile for the posts already in the library.
fn backfill_minutes(tx: &rusqlite::Transaction) -> std::result::Result<(), HookError> {
    let posts: Vec<(i64, String)> =
        tx.prepare("SELECT id, body FROM posts")?.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    for (id, body) in posts {
        write_minutes(tx, id, &stats::stats(&body))?;
    }
    Ok(())
}

/// Migration hook of schema v3: fills the new derived columns of existing posts and revisions.
fn backfill_derived(tx: &rusqlite::Transaction) -> std::result::Result<(), HookError> {
    let posts: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, front_matter, body FROM posts")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, block, body) in posts {
        // Schema v3: everything derived but the minutes by profile (migration 006 adds those).
        let fields = front_matter::parse_fields(&block);
        write_derived_columns(tx, id, &fields, &stats::stats(&body), &body)?;
        write_search(tx, id, &fields, &body)?;
    }
    let revisions: Vec<(i64, String)> = tx
        .prepare("SELECT id, body FROM revisions")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, body) in revisions {
        tx.execute("UPDATE revisions SET words = ?2 WHERE id = ?1", params![id, stats::stats(&body).words as i64])?;
    }
    Ok(())
}
