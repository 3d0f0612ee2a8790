-- Galley library schema v3: derived columns for the index view and fast lists (normalized date,
-- updated, excerpt, tags as JSON), revision word counts, partial indexes for every list order, and
-- a contentless full-text index of the posts not in the trash (with 2- and 3-letter prefixes).
-- The Rust hook of this migration fills the new derived columns of existing rows.
ALTER TABLE posts ADD COLUMN updated TEXT NOT NULL DEFAULT '';
-- The date as YYYY-MM-DD (in the offset it was written in); '' when missing or unparseable.
ALTER TABLE posts ADD COLUMN day TEXT NOT NULL DEFAULT '';
-- The date as a UTC sort key `YYYY-MM-DDTHH:MM:SS`; '' when missing or unparseable (sorts last).
ALTER TABLE posts ADD COLUMN date_key TEXT NOT NULL DEFAULT '';
-- The summary the index page shows: the front matter summary, else the body's first paragraph.
ALTER TABLE posts ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
-- The tags in order, as a JSON array (a copy of the tags table for one-row reads).
ALTER TABLE posts ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE revisions ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
-- Bytes the text of a coalesced "edit" revision has lost to deletions within its window.
ALTER TABLE revisions ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;

UPDATE posts SET tags_json = (
    SELECT coalesce(json_group_array(tag), '[]')
    FROM (SELECT tag FROM tags t WHERE t.post_id = posts.id ORDER BY position)
);

DROP INDEX posts_modified;
CREATE INDEX posts_live_modified ON posts (modified_at, id, status) WHERE deleted_at IS NULL;
CREATE INDEX posts_live_date ON posts (date_key, id, status) WHERE deleted_at IS NULL;
CREATE INDEX posts_live_title ON posts (title COLLATE NOCASE, id, status) WHERE deleted_at IS NULL;
CREATE INDEX posts_live_status ON posts (status, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_trash ON posts (deleted_at) WHERE deleted_at IS NOT NULL;

DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title, summary, body, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    content = '',
    contentless_delete = 1
);
INSERT INTO posts_fts (rowid, title, summary, body, tags)
SELECT id, title, summary, body,
       (SELECT coalesce(group_concat(tag, ' '), '') FROM tags t WHERE t.post_id = posts.id)
FROM posts WHERE deleted_at IS NULL;
