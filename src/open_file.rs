//! Opening one Markdown file from outside the library (`galley-app FILE.md`, the desktop's "Open
//! with Galley", a file dropped on the window): it becomes a post the first time and is found again
//! afterwards, by the same site-file records the importer keeps (folder + relative path + hashes).
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::import::{self, ImportAction, ScannedFile, SiteScan};
use crate::library::Library;
use crate::site::{self, policy, Layout, MAX_FILE_BYTES};

/// What opening a file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenedFile {
    /// The post that holds the file.
    pub post_id: i64,
    /// `Create`: imported now. `Update`: the file changed since it was last read, the post took its
    /// text (the old text stays a revision). `Unchanged`: found as it was. `Conflict`: both the
    /// file and the post changed; the post is opened as it is and the file is left alone.
    pub action: ImportAction,
    /// The file, canonical.
    pub file: PathBuf,
    /// What the writer should know (for a conflict), in words.
    pub notice: Option<String>,
}

/// Imports the Markdown file at `file` into the library, or finds the post it already is. A file
/// inside the library's linked site folder is recorded under that folder (so it is the same post
/// the site's import made); any other file under its own folder. Refused with the reason in words:
/// a name that is not Markdown, a file that is not a regular file, binary, not UTF-8 or larger
/// than [`MAX_FILE_BYTES`], a file whose post is in the trash.
pub fn open_file(library: &mut Library, file: &Path) -> Result<OpenedFile> {
    let not_a_post = |reason: String| Error::NotAPost { path: file.to_path_buf(), reason };
    let name = file.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    if !policy::is_markdown(&name) {
        return Err(not_a_post("not a Markdown file: Galley opens .md, .markdown and .mdown files".into()));
    }
    // The writer chose this file: a link to it is followed (the folder it really is in counts).
    let canonical = file.canonicalize().map_err(|e| Error::io(file, e))?;
    let (root, rel) = site_and_path(library, &canonical)?;
    let (text, hash) = site::read_post(&root, &rel, MAX_FILE_BYTES).map_err(&not_a_post)?;
    let scan = SiteScan {
        layout: Layout::detect(&root),
        root,
        files: vec![ScannedFile { path: rel, text, hash }],
        skipped: Vec::new(),
        assets: Vec::new(),
    };
    let plan = import::plan_scan(library, scan)?;
    let Some(item) = plan.items.first() else {
        let reason = plan.skipped.first().map_or_else(|| "not a post".to_owned(), |skipped| skipped.reason.clone());
        return Err(not_a_post(format!("{reason}: restore it from the trash to open it")));
    };
    let (action, existing) = (item.action, item.post_id);
    let post_id = match (action, existing) {
        (ImportAction::Create | ImportAction::Update, _) => {
            let report = import::execute(library, &plan, false)?;
            let written = report.imported.first().or(report.updated.first());
            written.map(|written| written.post_id).ok_or_else(|| not_a_post("the import wrote nothing".into()))?
        }
        (_, Some(id)) => id,
        (_, None) => return Err(not_a_post("the library records this file without its post".into())),
    };
    let notice = (action == ImportAction::Conflict).then(|| {
        format!(
            "{} changed on disk and in Galley since Galley last read it: Galley's text is open and the file was left as it is (import its folder with force to take the file's text)",
            canonical.display()
        )
    });
    Ok(OpenedFile { post_id, action, file: canonical, notice })
}

/// The folder a file is recorded under and its path there: the linked site folder when the file is
/// inside it, else the file's own folder.
fn site_and_path(library: &Library, canonical: &Path) -> Result<(PathBuf, String)> {
    let linked = library.linked_site()?.and_then(|folder| folder.canonicalize().ok());
    if let Some(root) = linked {
        if let Ok(inside) = canonical.strip_prefix(&root) {
            let parts: Option<Vec<&str>> = inside.components().map(|part| part.as_os_str().to_str()).collect();
            if let Some(parts) = parts {
                return Ok((root, parts.join("/")));
            }
        }
    }
    let folder = canonical.parent().ok_or_else(|| Error::Invalid(format!("{} is not a file", canonical.display())))?;
    let name = canonical.file_name().and_then(|name| name.to_str()).ok_or_else(|| Error::NotAPost {
        path: canonical.to_path_buf(),
        reason: "its name is not valid UTF-8; rename it to open it in Galley".into(),
    })?;
    Ok((site::root(folder)?, name.to_owned()))
}
