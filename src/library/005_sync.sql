-- Galley library schema v5: site folder sync. A file Galley tracks can go missing from the site
-- (deleted or moved outside Galley): its record stays, with the time it was found missing, and the
-- post stays in the library. Recording new bytes for the file (a sync, import or export) clears it.
ALTER TABLE site_files ADD COLUMN missing_at TEXT;
CREATE INDEX site_files_missing ON site_files (site_id) WHERE missing_at IS NOT NULL;
CREATE TRIGGER site_files_seen_again AFTER UPDATE OF file_hash ON site_files
WHEN NEW.missing_at IS NOT NULL AND OLD.missing_at IS NOT NULL
BEGIN
    UPDATE site_files SET missing_at = NULL WHERE site_id = NEW.site_id AND path = NEW.path;
END;
