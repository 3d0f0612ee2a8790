-- Galley library schema v6: reading minutes under every profile (Galley, Hugo, Zola, Medium), so
-- the blog index view shows the figure of the profile the writer chose, as their blog will.
-- JSON object {"galley": 3, "hugo": 2, ...}; filled for existing posts by the migration's hook.
ALTER TABLE posts ADD COLUMN minutes_json TEXT NOT NULL DEFAULT '{}';
