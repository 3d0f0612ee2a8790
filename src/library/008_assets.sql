-- Galley library schema v8: the files of a post (images, a bundle's other resources), stored in the
-- library itself so that it stays one file a backup copies whole. Bytes are content-addressed and
-- deduplicated (asset_blobs, by SHA-256); each post names its files (post_assets). A blob no post
-- names any more is dropped by the triggers below, in the same transaction.
CREATE TABLE asset_blobs (
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    kind TEXT NOT NULL,
    bytes BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE post_assets (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- Post-relative name, `/`-separated (`diagram.png`, `img/a b.svg`), checked by assets::validate_name.
    name TEXT NOT NULL,
    hash TEXT NOT NULL REFERENCES asset_blobs (hash),
    -- 'import' (a file of the site's bundle: kept as long as the post) or 'editor' (pasted, dropped,
    -- inserted: dropped by prune_assets once no text of the post mentions it).
    origin TEXT NOT NULL DEFAULT 'editor' CHECK (origin IN ('import', 'editor')),
    -- The site-relative path it was imported from (where the keep preset writes it back); NULL
    -- for a file added in the editor.
    source_path TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (post_id, name)
) WITHOUT ROWID;
CREATE INDEX post_assets_hash ON post_assets (hash);
CREATE TRIGGER post_assets_release AFTER DELETE ON post_assets
WHEN NOT EXISTS (SELECT 1 FROM post_assets WHERE hash = OLD.hash)
BEGIN
    DELETE FROM asset_blobs WHERE hash = OLD.hash;
END;
CREATE TRIGGER post_assets_replace AFTER UPDATE OF hash ON post_assets
WHEN OLD.hash <> NEW.hash AND NOT EXISTS (SELECT 1 FROM post_assets WHERE hash = OLD.hash)
BEGIN
    DELETE FROM asset_blobs WHERE hash = OLD.hash;
END;
-- One record per asset file Galley read from or wrote to a site folder (like site_files for
-- posts): the hash it had then, so that export never overwrites a file changed outside Galley and
-- sync knows which changes are new. One file (a shared static image) may belong to several posts.
CREATE TABLE site_assets (
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('import', 'export')),
    synced_at TEXT NOT NULL,
    PRIMARY KEY (site_id, path, post_id)
) WITHOUT ROWID;
CREATE INDEX site_assets_post ON site_assets (post_id, name);
