-- Galley library schema v9: a post without a date key gets the day its site already says (file
-- name prefix, /YYYY/MM/DD/ in path/url/aliases/permalink, dated folders) as its day and sort key,
-- marked inferred: `date_source` says where it came from ("" when the post has its own date).
ALTER TABLE posts ADD COLUMN date_source TEXT NOT NULL DEFAULT '';
