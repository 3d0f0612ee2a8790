-- Galley library schema v4: the full-text index records which column each word is in, not its
-- positions (detail=column). Matching and ranking thousands of posts stays within milliseconds
-- and the index is a fraction of the size; a quoted phrase matches posts containing all its words.
-- The tokenizer must stay the one `search.rs` uses to split queries (unicode61 remove_diacritics 2).
-- Also: an index for "oldest date first" that keeps undated posts last.
CREATE INDEX posts_live_date_asc ON posts (date_key = '', date_key, id, status) WHERE deleted_at IS NULL;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title, summary, body, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    content = '',
    contentless_delete = 1,
    detail = column
);
INSERT INTO posts_fts (rowid, title, summary, body, tags)
SELECT id, title, summary, body,
       (SELECT coalesce(group_concat(tag, ' '), '') FROM tags t WHERE t.post_id = posts.id)
FROM posts WHERE deleted_at IS NULL;
