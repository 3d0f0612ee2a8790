//! Where posts come from: the site folder each post was last imported from (its generator decides
//! which template syntax the post was written for, see `export_changes`).
use std::collections::HashMap;

use crate::error::Result;
use crate::library::Library;

impl Library {
    /// Post id → root of the site folder the post was most recently imported from (posts written
    /// in Galley and never imported are absent).
    pub fn import_roots(&self) -> Result<HashMap<i64, String>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT f.post_id, s.root FROM site_files f JOIN sites s ON s.id = f.site_id \
                 WHERE f.direction = 'import' ORDER BY f.synced_at",
            )
            .map_err(self.err())?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))).map_err(self.err())?;
        rows.collect::<rusqlite::Result<HashMap<_, _>>>().map_err(self.err())
    }
}
