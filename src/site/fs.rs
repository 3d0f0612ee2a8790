//! The one way Galley touches files inside a site folder: paths checked folder by folder (a
//! symbolic link anywhere on the way is refused), files opened without following links or
//! blocking and read with a size cap, one bounded walk (depth, folder count), one atomic write,
//! one content hash.
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::layout::Layout;
use super::policy::IGNORED_TOP_DIRS;
use crate::error::{Error, Result};
use crate::slug;

/// Files larger than this are never read as posts.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Folders nested deeper than this (counted from the site folder) are not entered.
pub const MAX_DEPTH: usize = 24;

/// At most this many folders of a site are read by one walk, or watched.
pub const MAX_FOLDERS: usize = 5_000;

/// At most this many bytes of post text are held by one import (the rest is skipped, with a
/// reason).
pub const MAX_SCAN_BYTES: u64 = 256 * 1024 * 1024;

/// How much of a site folder Galley is willing to read or watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read as a post.
    pub max_file_bytes: u64,
    /// Deepest folder entered (components from the site folder).
    pub max_depth: usize,
    /// Most folders read by one walk, or watched.
    pub max_folders: usize,
    /// Most bytes of post text one import holds.
    pub max_scan_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: MAX_FILE_BYTES, max_depth: MAX_DEPTH, max_folders: MAX_FOLDERS, max_scan_bytes: MAX_SCAN_BYTES }
    }
}

/// A file or folder that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Skipped {
    /// Site-relative path (folders end with `/`).
    pub path: String,
    /// Why (in words).
    pub reason: String,
}

/// SHA-256 of some bytes, as lowercase hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// A size limit in words: "5 MiB", "100 KiB".
pub(crate) fn size_words(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / 1024 / 1024)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// `prefix/name`, or `name` at the top.
pub(crate) fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// What is at a site-relative path right now (symbolic links are never followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// A regular file, reached through real folders only.
    File,
    /// A folder, reached through real folders only.
    Dir,
    /// Nothing (or something other than a file or folder).
    Missing,
    /// The path itself or one of its folders is a symbolic link.
    Link,
}

/// What a look along a site-relative path found, and where it stopped.
#[derive(Debug)]
pub(crate) enum Found {
    /// A regular file, reached through real folders only.
    File,
    /// A folder, reached through real folders only.
    Dir,
    /// A component does not exist.
    Missing,
    /// This component is a symbolic link.
    Link(PathBuf),
    /// This component, on the way, is not a folder.
    NotAFolder(PathBuf),
    /// The last component is neither a regular file nor a folder.
    Special,
    /// This component could not be looked at.
    Unreadable(PathBuf, std::io::Error),
}

/// Looks at the components of a site-relative path one at a time, never following a link: the
/// one walk every check of a site path goes through.
pub(crate) fn look<'a>(root: &Path, components: impl IntoIterator<Item = &'a str>) -> Found {
    let mut current = root.to_path_buf();
    let mut components = components.into_iter().peekable();
    while let Some(component) = components.next() {
        current.push(component);
        let last = components.peek().is_none();
        match current.symlink_metadata() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::Missing,
            Err(e) => return Found::Unreadable(current, e),
            Ok(meta) if meta.file_type().is_symlink() => return Found::Link(current),
            Ok(meta) if last && meta.is_file() => return Found::File,
            Ok(meta) if last && meta.is_dir() => return Found::Dir,
            Ok(_) if last => return Found::Special,
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Found::NotAFolder(current),
        }
    }
    Found::Dir
}

/// Looks at a site-relative path one component at a time, never following a link.
pub(crate) fn probe(root: &Path, rel: &str) -> Probe {
    match look(root, rel.split('/').filter(|p| !p.is_empty())) {
        Found::File => Probe::File,
        Found::Dir => Probe::Dir,
        Found::Link(_) => Probe::Link,
        Found::Missing | Found::NotAFolder(_) | Found::Special | Found::Unreadable(..) => Probe::Missing,
    }
}

/// Opens a file for reading without following a symbolic link and without blocking on a FIFO or
/// device, then checks on the opened handle that it is a regular file: a swap made after an
/// earlier `lstat` cannot make Galley read something else. Returns the handle and its size.
fn open_regular(path: &Path) -> std::result::Result<(File, u64), String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return "symbolic link (not followed)".to_string();
        }
        format!("cannot be read: {e}")
    })?;
    let meta = file.metadata().map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    Ok((file, meta.len()))
}

/// Reads at most `max` bytes of a site file, refusing links anywhere on its path, anything that
/// is not a regular file, and files larger than `max`. The reason is in words.
pub fn read_file(root: &Path, rel: &str, max: u64) -> std::result::Result<Vec<u8>, String> {
    let mut path = root.to_path_buf();
    let mut parts = rel.split('/').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        path.push(part);
        if parts.peek().is_none() {
            break;
        }
        match path.symlink_metadata() {
            Ok(meta) if meta.file_type().is_symlink() => return Err(format!("its folder {part}/ is a symbolic link (not followed)")),
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(format!("{part} is not a folder")),
            Err(e) => return Err(format!("cannot be read: {e}")),
        }
    }
    read_regular(&path, max).map_err(|reason| {
        if reason.starts_with("larger than") {
            format!("{reason}; Galley reads posts up to that size")
        } else {
            reason
        }
    })
}

/// Reads at most `max` bytes of the regular file at `path` (not followed if it is a link itself;
/// never blocking on a FIFO or device; checked on the opened handle), or says why not.
pub fn read_regular(path: &Path, max: u64) -> std::result::Result<Vec<u8>, String> {
    let (file, size) = open_regular(path)?;
    let too_large = |size: u64| format!("larger than {} ({size} bytes)", size_words(max));
    if size > max {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a site file as a post: its text and the SHA-256 of its bytes, or why it is not one
/// (link, not a regular file, too large, binary, not UTF-8).
pub fn read_post(root: &Path, rel: &str, max: u64) -> std::result::Result<(String, String), String> {
    let bytes = read_file(root, rel, max)?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    let hash = content_hash(&bytes);
    String::from_utf8(bytes).map(|text| (text, hash)).map_err(|e| format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))
}

/// What a [`walk`] found.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Regular files (not hidden), site-relative, in walk order.
    pub files: Vec<String>,
    /// Folders entered, site-relative ("" for the site folder itself), in walk order.
    pub folders: Vec<String>,
    /// Links, special files, folders too deep or beyond the folder limit, unreadable folders.
    pub skipped: Vec<Skipped>,
    /// True when the folder limit stopped the walk.
    pub truncated: bool,
}

/// Walks the site-relative folder `start` ("" for the whole site) without following any link
/// (the folders leading to `start` included), skipping hidden files and folders and, at the top
/// level, build and dependency folders. At most `*folders_left` folders are entered (the count
/// goes down) and none deeper than `limits.max_depth`: what is left out is in `skipped`.
pub fn walk(root: &Path, start: &str, limits: &Limits, folders_left: &mut usize, out: &mut Walk) {
    match probe(root, start) {
        Probe::Dir => walk_dir(root, start, limits, folders_left, out),
        Probe::Link => out.skipped.push(Skipped { path: format!("{start}/"), reason: "symbolic link on the way (not followed)".into() }),
        Probe::File | Probe::Missing => {}
    }
}

/// Walks the folders of a site that hold posts ([`Layout::content_roots`]) within the limits.
pub fn walk_content(root: &Path, layout: Layout, limits: &Limits) -> Walk {
    let mut walked = Walk::default();
    let mut folders_left = limits.max_folders;
    for content in layout.content_roots() {
        walk(root, content, limits, &mut folders_left, &mut walked);
    }
    walked
}

/// Reads a post file of the site with the default size cap ([`MAX_FILE_BYTES`]): its text and
/// the SHA-256 of its bytes, or why it is not one.
pub fn read_post_file(root: &Path, rel: &str) -> std::result::Result<(String, String), String> {
    read_post(root, rel, MAX_FILE_BYTES)
}

fn walk_dir(root: &Path, rel: &str, limits: &Limits, folders_left: &mut usize, out: &mut Walk) {
    if *folders_left == 0 {
        if !out.truncated {
            out.truncated = true;
            out.skipped.push(Skipped {
                path: format!("{rel}/"),
                reason: format!("not read, nor any folder after it: the site has more than {} folders", limits.max_folders),
            });
        }
        return;
    }
    *folders_left -= 1;
    out.folders.push(rel.to_string());
    let dir = if rel.is_empty() { root.to_path_buf() } else { root.join(rel) };
    let mut entries = match std::fs::read_dir(&dir).and_then(|entries| entries.collect::<std::io::Result<Vec<_>>>()) {
        Ok(entries) => entries,
        Err(e) => return out.skipped.push(Skipped { path: format!("{rel}/"), reason: format!("cannot be read: {e}") }),
    };
    entries.sort_by_key(|e| e.file_name());
    let depth = rel.split('/').filter(|p| !p.is_empty()).count();
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            out.skipped.push(Skipped { path: join(rel, &name.to_string_lossy()), reason: "file name is not valid UTF-8".into() });
            continue;
        };
        let path = join(rel, name);
        let file_type = match entry.file_type() {
            Ok(file_type) => file_type,
            Err(e) => {
                out.skipped.push(Skipped { path, reason: format!("cannot be read: {e}") });
                continue;
            }
        };
        if name.starts_with('.') {
            continue; // .git, editor folders, hidden and temporary files: never content
        } else if file_type.is_symlink() {
            out.skipped.push(Skipped { path, reason: "symbolic link (not followed)".into() });
        } else if file_type.is_dir() {
            if rel.is_empty() && IGNORED_TOP_DIRS.contains(&name) {
                out.skipped.push(Skipped { path: path + "/", reason: "build output, dependencies or templates".into() });
            } else if depth + 1 > limits.max_depth {
                out.skipped.push(Skipped { path: path + "/", reason: format!("nested more than {} folders deep", limits.max_depth) });
            } else {
                walk_dir(root, &path, limits, folders_left, out);
                if out.truncated {
                    return;
                }
            }
        } else if file_type.is_file() {
            out.files.push(path);
        } else {
            out.skipped.push(Skipped { path, reason: "not a regular file".into() });
        }
    }
}

fn sync_dir(dir: &Path) {
    // Makes creations and renames durable; not possible (nor needed) on every platform.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Creates the folders of a site-relative file path one by one, refusing symbolic links and
/// non-folders on the way; each new folder is made durable in its parent. Returns the folder
/// the file goes in and the file name.
pub fn ensure_parents<'a>(root: &Path, rel: &'a str) -> Result<(PathBuf, &'a str)> {
    let components = slug::check_relative_path(rel).map_err(Error::Invalid)?;
    let (name, folders) = components.split_last().ok_or_else(|| Error::Invalid(format!("{rel}: empty path")))?;
    let mut current = root.to_path_buf();
    for folder in folders {
        current.push(folder);
        match current.symlink_metadata() {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::Conflict {
                    path: current,
                    reason: "is a symbolic link; Galley does not follow links inside the site folder".into(),
                })
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(Error::Conflict { path: current, reason: "is not a folder".into() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&current).map_err(|e| Error::io(&current, e))?;
                if let Some(parent) = current.parent() {
                    sync_dir(parent);
                }
            }
            Err(e) => return Err(Error::io(&current, e)),
        }
    }
    Ok((current, name))
}

static TEMP_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A file written to a hidden temporary name next to its target, not yet renamed. Dropping it
/// without [`Staged::commit`] removes the temporary file.
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
    file: Option<File>,
}

impl Staged {
    /// Writes `bytes` to a new temporary file in `dir` for the file `name` (nothing is left
    /// behind on failure).
    pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<Staged> {
        let target = dir.join(name);
        let counter = TEMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.galley-{}-{counter}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|e| Error::io(&target, e))?;
        let mut staged = Staged { temp, target, file: Some(file) };
        if let Some(file) = staged.file.as_mut() {
            file.write_all(bytes).map_err(|e| Error::io(&staged.target, e))?;
        }
        Ok(staged)
    }

    /// The file it will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the temporary file to the disk.
    pub fn sync(&self) -> std::io::Result<()> {
        self.file.as_ref().map_or(Ok(()), File::sync_all)
    }

    /// Renames the temporary file over its target (the folder is not synced: see
    /// [`sync_folder`]).
    pub fn commit(mut self) -> Result<()> {
        drop(self.file.take());
        std::fs::rename(&self.temp, &self.target).map_err(|e| Error::io(&self.target, e))?;
        self.temp = PathBuf::new();
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Makes the renames done in a folder durable.
pub fn sync_folder(dir: &Path) {
    sync_dir(dir);
}

/// Writes a file atomically: a temporary file in the same folder, fsync, rename over the target,
/// fsync of the folder.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let staged = Staged::write(dir, name, bytes)?;
    staged.sync().map_err(|e| Error::io(&staged.target, e))?;
    staged.commit()?;
    sync_dir(dir);
    Ok(())
}

/// Writes `bytes` to the site-relative `rel` atomically, creating missing folders and refusing
/// symbolic links anywhere on the way (the file itself must be a regular file or missing).
pub fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let (dir, name) = ensure_parents(root, rel)?;
    let target = dir.join(name);
    if target.symlink_metadata().is_ok_and(|m| !m.is_file()) {
        return Err(Error::Conflict { path: target, reason: "is not a regular file (a link or a folder)".into() });
    }
    write_atomic(&dir, name, bytes)
}
