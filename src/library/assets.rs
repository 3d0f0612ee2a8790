//! A post's files in the library (migration 008): content-addressed, deduplicated blobs and the
//! post-relative names each post gives them; storing, reading, listing, free names, and pruning
//! the files no text of their post (current or any revision) mentions any more.
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{now, Library, TxResult};
use crate::assets::{self, AssetKind, MAX_ASSET_BYTES};
use crate::error::{Error, Result};
use crate::site::content_hash;

/// One file of a post, as the library holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetInfo {
    /// Post-relative name (`diagram.png`, `img/a b.svg`).
    pub name: String,
    /// What it is, from its bytes.
    pub kind: AssetKind,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, lowercase hex.
    pub hash: String,
}

/// A file of a post with its bytes, as export needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFile {
    /// Name, kind, size, hash.
    pub info: AssetInfo,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The site-relative path it was imported from (`None` for a file added in the editor).
    pub source_path: Option<String>,
}

/// Where a stored file came from: what decides whether pruning may drop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetOrigin {
    /// A file of the site's bundle, brought by import or sync: it belongs to the page (templates
    /// may use it without the text naming it), so it stays as long as the post.
    Import,
    /// Pasted, dropped or inserted in the editor: dropped by [`Library::prune_assets`] once no
    /// text of its post mentions it.
    Editor,
}

impl AssetOrigin {
    fn as_str(self) -> &'static str {
        match self {
            AssetOrigin::Import => "import",
            AssetOrigin::Editor => "editor",
        }
    }
}

/// A file ready to be stored: name checked, size checked, hashed, kind detected.
pub(crate) struct CheckedAsset<'a> {
    pub(crate) info: AssetInfo,
    pub(crate) bytes: &'a [u8],
}

/// Checks a name and the size of a file to store with a post; the first step of every write.
pub(crate) fn check_asset<'a>(name: &str, bytes: &'a [u8]) -> Result<CheckedAsset<'a>> {
    let name = assets::validate_name(name)?;
    if bytes.len() > MAX_ASSET_BYTES {
        return Err(Error::AssetTooLarge { name, size: bytes.len() as u64, limit: MAX_ASSET_BYTES as u64 });
    }
    let info = AssetInfo { kind: AssetKind::detect(bytes), size: bytes.len() as u64, hash: content_hash(bytes), name };
    Ok(CheckedAsset { info, bytes })
}

/// Stores one checked file under its name for a post, inside a write transaction (a file already
/// imported keeps its `import` origin and source path when the editor replaces it).
pub(crate) fn store_asset(
    tx: &rusqlite::Transaction,
    post_id: i64,
    asset: &CheckedAsset,
    origin: AssetOrigin,
    source_path: Option<&str>,
    at: &str,
) -> TxResult<()> {
    let info = &asset.info;
    tx.prepare_cached("INSERT INTO asset_blobs (hash, size, kind, bytes) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (hash) DO NOTHING")?
        .execute(params![info.hash, info.size as i64, info.kind.as_str(), asset.bytes])?;
    tx.prepare_cached(
        "INSERT INTO post_assets (post_id, name, hash, origin, source_path, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (post_id, name) DO UPDATE SET hash = excluded.hash, added_at = excluded.added_at, \
         origin = CASE WHEN post_assets.origin = 'import' THEN 'import' ELSE excluded.origin END, \
         source_path = coalesce(excluded.source_path, post_assets.source_path)",
    )?
    .execute(params![post_id, info.name, info.hash, origin.as_str(), source_path, at])?;
    Ok(())
}

fn post_exists(tx: &rusqlite::Transaction, post_id: i64) -> rusqlite::Result<bool> {
    Ok(tx.prepare_cached("SELECT 1 FROM posts WHERE id = ?1")?.query_row(params![post_id], |_| Ok(())).optional()?.is_some())
}

fn info_from_row(row: &rusqlite::Row) -> rusqlite::Result<AssetInfo> {
    Ok(AssetInfo {
        name: row.get(0)?,
        kind: AssetKind::parse(&row.get::<_, String>(1)?),
        size: row.get::<_, i64>(2)? as u64,
        hash: row.get(3)?,
    })
}

impl Library {
    /// Stores a file with a post under a post-relative name (replacing what that name held).
    /// The bytes are kept once however many posts or names use them. Refused with a clear error:
    /// a bad name ([`Error::BadAssetName`]), a file over [`MAX_ASSET_BYTES`]
    /// ([`Error::AssetTooLarge`]), a post that does not exist ([`Error::NoSuchPost`]).
    pub fn put_asset(&mut self, post_id: i64, name: &str, bytes: &[u8]) -> Result<AssetInfo> {
        self.put_asset_from(post_id, name, bytes, AssetOrigin::Editor)
    }

    /// [`Library::put_asset`] for a file the writer adds to a post (paste, drop, insert): only an
    /// image the preview can show is taken ([`Error::NotAnImage`] otherwise).
    pub fn put_image(&mut self, post_id: i64, name: &str, bytes: &[u8]) -> Result<AssetInfo> {
        let checked = check_asset(name, bytes)?;
        if !checked.info.kind.is_image() {
            return Err(Error::NotAnImage { name: checked.info.name });
        }
        self.put_asset_from(post_id, name, bytes, AssetOrigin::Editor)
    }

    /// [`Library::put_asset`] with the file's origin (which decides whether pruning may drop it).
    pub fn put_asset_from(&mut self, post_id: i64, name: &str, bytes: &[u8], origin: AssetOrigin) -> Result<AssetInfo> {
        let checked = check_asset(name, bytes)?;
        let at = now();
        self.write(|tx| {
            if !post_exists(tx, post_id)? {
                return Err(Error::NoSuchPost(post_id).into());
            }
            store_asset(tx, post_id, &checked, origin, None, &at)
        })?;
        Ok(checked.info)
    }

    /// One file of a post with its bytes; `None` when the post has no file of that name (or the
    /// name is not a valid asset name).
    pub fn asset(&self, post_id: i64, name: &str) -> Result<Option<(AssetInfo, Vec<u8>)>> {
        let Ok(name) = assets::validate_name(name) else {
            return Ok(None);
        };
        self.connection
            .prepare_cached(
                "SELECT a.name, b.kind, b.size, b.hash, b.bytes FROM post_assets a JOIN asset_blobs b ON b.hash = a.hash \
                 WHERE a.post_id = ?1 AND a.name = ?2",
            )
            .map_err(self.err())?
            .query_row(params![post_id, name], |row| Ok((info_from_row(row)?, row.get(4)?)))
            .optional()
            .map_err(self.err())
    }

    /// The files of a post, by name.
    pub fn assets(&self, post_id: i64) -> Result<Vec<AssetInfo>> {
        self.connection
            .prepare_cached(
                "SELECT a.name, b.kind, b.size, b.hash FROM post_assets a JOIN asset_blobs b ON b.hash = a.hash \
                 WHERE a.post_id = ?1 ORDER BY a.name",
            )
            .map_err(self.err())?
            .query_map(params![post_id], info_from_row)
            .and_then(|rows| rows.collect())
            .map_err(self.err())
    }

    /// A name for a new file of the post: `wanted` (checked and normalized) if free, else with
    /// `-2`, `-3`, … before its extension (`a.png` → `a-2.png`).
    pub fn unique_asset_name(&self, post_id: i64, wanted: &str) -> Result<String> {
        let wanted = assets::validate_name(wanted)?;
        let taken: std::collections::HashSet<String> = self.assets(post_id)?.into_iter().map(|asset| asset.name).collect();
        Ok(assets::unique_name(&wanted, |name| taken.contains(name)))
    }

    /// Drops the files added in the editor that no text of the post mentions any more: not its
    /// current text, not any of its revisions (so restoring any revision never lacks an image it
    /// names). Files imported with a bundle stay. Returns the names dropped; bytes no other post
    /// uses leave the library with them.
    pub fn prune_assets(&mut self, post_id: i64) -> Result<Vec<String>> {
        self.write(|tx| {
            let names: Vec<String> = tx
                .prepare_cached("SELECT name FROM post_assets WHERE post_id = ?1 AND origin = 'editor' ORDER BY name")?
                .query_map(params![post_id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if names.is_empty() {
                return Ok(Vec::new());
            }
            let texts: Vec<String> = tx
                .prepare_cached(
                    "SELECT front_matter || body FROM posts WHERE id = ?1 UNION ALL SELECT front_matter || body FROM revisions WHERE post_id = ?1",
                )?
                .query_map(params![post_id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut dropped = Vec::new();
            for name in names {
                if !texts.iter().any(|text| assets::text_mentions(text, &name)) {
                    tx.prepare_cached("DELETE FROM post_assets WHERE post_id = ?1 AND name = ?2")?.execute(params![post_id, name])?;
                    dropped.push(name);
                }
            }
            Ok(dropped)
        })
    }

    /// The files of a post with their bytes and where they came from, by name (for export).
    pub fn post_files(&self, post_id: i64) -> Result<Vec<PostFile>> {
        self.connection
            .prepare_cached(
                "SELECT a.name, b.kind, b.size, b.hash, b.bytes, a.source_path FROM post_assets a JOIN asset_blobs b ON b.hash = a.hash \
                 WHERE a.post_id = ?1 ORDER BY a.name",
            )
            .map_err(self.err())?
            .query_map(params![post_id], |row| Ok(PostFile { info: info_from_row(row)?, bytes: row.get(4)?, source_path: row.get(5)? }))
            .and_then(|rows| rows.collect())
            .map_err(self.err())
    }

    /// The name → hash of every file of a post (cheap: no bytes).
    pub fn asset_hashes(&self, post_id: i64) -> Result<std::collections::HashMap<String, String>> {
        self.connection
            .prepare_cached("SELECT name, hash FROM post_assets WHERE post_id = ?1")
            .map_err(self.err())?
            .query_map(params![post_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(self.err())
    }

    /// How many distinct files (blobs) the library holds, and their bytes together.
    pub fn asset_storage(&self) -> Result<(u64, u64)> {
        self.connection
            .query_row("SELECT count(*), coalesce(sum(size), 0) FROM asset_blobs", [], |row| {
                Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64))
            })
            .map_err(self.err())
    }
}
