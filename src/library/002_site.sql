-- Galley library schema v2: the site folders Galley imports from and exports to, and one record
-- per file it read or wrote there (site-relative path + hashes). Re-imports update instead of
-- duplicating; exports refuse to overwrite a file whose bytes changed since Galley last saw them.
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    root TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE site_files (
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- SHA-256 of the file's bytes when Galley last read or wrote it.
    file_hash TEXT NOT NULL,
    -- SHA-256 of the post's text (front matter + body) at that moment.
    text_hash TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('import', 'export')),
    preset TEXT NOT NULL DEFAULT 'keep',
    synced_at TEXT NOT NULL,
    PRIMARY KEY (site_id, path)
);
CREATE INDEX site_files_post ON site_files (post_id);
CREATE INDEX posts_source_path ON posts (source_path);
