-- Galley library schema v1: posts with their raw front matter and body, derived columns for
-- listing, tags, revisions, a full-text index and settings.
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    front_matter TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'published')),
    title TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    words INTEGER NOT NULL DEFAULT 0,
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    source_path TEXT,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX posts_modified ON posts (modified_at);
CREATE TABLE tags (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX tags_tag ON tags (tag);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    started_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    front_matter TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX revisions_post ON revisions (post_id, id);
CREATE VIRTUAL TABLE posts_fts USING fts5 (title, summary, body, tags, tokenize = 'unicode61');
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
