-- Galley library schema v7: Galley's own sample posts (seeded on the app's very first start on the
-- default library) are marked, so they never leave the library: export leaves them out until the
-- writer has edited one and changed its status, which clears the mark (library.rs, adopt_sample).
ALTER TABLE posts ADD COLUMN sample INTEGER NOT NULL DEFAULT 0;
