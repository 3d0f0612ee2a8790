//! Library settings (the `settings` table): small key/value preferences stored with the library,
//! such as the site folder the library is linked to.
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};

use super::Library;
use crate::error::Result;

/// Settings key of the linked site folder.
const LINKED_SITE: &str = "site_folder";
/// Settings key of the preview's Markdown dialect chosen by hand (absent: the linked site's).
const MARKDOWN_DIALECT: &str = "markdown_dialect";

impl Library {
    /// A stored setting, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.connection
            .query_row("SELECT value FROM settings WHERE key = ?1", params![key], |row| row.get(0))
            .optional()
            .map_err(self.err())
    }

    /// Stores (or with `None` removes) a setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(value) => self.connection.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            ),
            None => self.connection.execute("DELETE FROM settings WHERE key = ?1", params![key]),
        }
        .map_err(self.err())?;
        Ok(())
    }

    /// The site folder this library is linked to (chosen in the app, remembered).
    pub fn linked_site(&self) -> Result<Option<PathBuf>> {
        Ok(self.setting(LINKED_SITE)?.map(PathBuf::from))
    }

    /// Links the library to a site folder, or unlinks it.
    pub fn set_linked_site(&mut self, folder: Option<&Path>) -> Result<()> {
        let value = folder.map(|folder| folder.to_string_lossy().into_owned());
        self.set_setting(LINKED_SITE, value.as_deref())
    }

    /// The Markdown dialect chosen by hand for the preview (`None`: follow the linked site).
    pub fn markdown_dialect(&self) -> Result<Option<crate::render::Flavor>> {
        Ok(self.setting(MARKDOWN_DIALECT)?.and_then(|name| crate::render::Flavor::from_name(&name)))
    }

    /// Chooses the preview's Markdown dialect by hand, or with `None` follows the linked site.
    pub fn set_markdown_dialect(&mut self, flavor: Option<crate::render::Flavor>) -> Result<()> {
        self.set_setting(MARKDOWN_DIALECT, flavor.map(|flavor| flavor.name()))
    }
}

#[cfg(test)]
mod tests {
    use crate::library::Library;
    use crate::render::Flavor;

    #[test]
    fn the_markdown_dialect_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite3");
        let (mut library, _) = Library::open(&path).unwrap();
        assert_eq!(library.markdown_dialect().unwrap(), None);
        library.set_markdown_dialect(Some(Flavor::Jekyll)).unwrap();
        drop(library);
        let (mut library, _) = Library::open(&path).unwrap();
        assert_eq!(library.markdown_dialect().unwrap(), Some(Flavor::Jekyll));
        library.set_markdown_dialect(None).unwrap();
        assert_eq!(library.markdown_dialect().unwrap(), None);
        library.set_setting("markdown_dialect", Some("gatsby")).unwrap();
        assert_eq!(library.markdown_dialect().unwrap(), None, "an unknown name reads as no choice");
    }
}
