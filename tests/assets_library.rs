//! A post's files in the library: stored under their names, deduplicated, refused with clear
//! errors, kept while any text of the post names them, carried whole by a backup.
mod common;

use galley::assets::{AssetKind, MAX_ASSET_BYTES};
use galley::library::{backup, Library, Status};
use galley::Error;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script></svg>"#;
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0";

fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let (library, _) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    (dir, library)
}

#[test]
fn assets_are_stored_under_their_names_and_read_back() {
    let (_dir, mut library) = library();
    let post = library.create_post("# Figures\n\n![](diagram.png)\n", Status::Draft).unwrap();
    let info = library.put_asset(post, "./diagram.png", PNG).unwrap();
    assert_eq!((info.name.as_str(), info.kind, info.size), ("diagram.png", AssetKind::Png, PNG.len() as u64));
    library.put_asset(post, "img/a b.svg", SVG).unwrap();
    let (read, bytes) = library.asset(post, "diagram.png").unwrap().unwrap();
    assert_eq!((read, bytes.as_slice()), (info, PNG));
    assert_eq!(library.asset(post, "img/a b.svg").unwrap().unwrap().0.kind, AssetKind::Svg);
    assert!(library.asset(post, "missing.png").unwrap().is_none());
    assert!(library.asset(post, "../diagram.png").unwrap().is_none());
    let names: Vec<String> = library.assets(post).unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["diagram.png", "img/a b.svg"]);
    // Replacing a name keeps one entry with the new bytes.
    library.put_asset(post, "diagram.png", SVG).unwrap();
    assert_eq!(library.asset(post, "diagram.png").unwrap().unwrap().1, SVG);
    assert_eq!(library.assets(post).unwrap().len(), 2);
}

#[test]
fn the_same_bytes_are_stored_once_and_leave_with_the_last_post_naming_them() {
    let (_dir, mut library) = library();
    let first = library.create_post("![](a.png)\n", Status::Draft).unwrap();
    let second = library.create_post("![](a.png)\n", Status::Draft).unwrap();
    library.put_asset(first, "a.png", PNG).unwrap();
    library.put_asset(first, "copy.png", PNG).unwrap();
    library.put_asset(second, "a.png", SVG).unwrap(); // the same name in another post: its own file
    assert_eq!(library.asset(first, "a.png").unwrap().unwrap().1, PNG);
    assert_eq!(library.asset(second, "a.png").unwrap().unwrap().1, SVG);
    assert_eq!(library.asset_storage().unwrap(), (2, (PNG.len() + SVG.len()) as u64));
    library.put_asset(second, "b.png", PNG).unwrap();
    assert_eq!(library.asset_storage().unwrap().0, 2, "deduplicated across posts");
    // Replacing second's a.png releases the SVG bytes nobody names any more.
    library.put_asset(second, "a.png", PNG).unwrap();
    assert_eq!(library.asset_storage().unwrap(), (1, PNG.len() as u64));
    // Deleting a post for good releases what only it named.
    library.put_asset(second, "c.svg", SVG).unwrap();
    library.trash_post(second).unwrap();
    assert_eq!(library.asset_storage().unwrap().0, 2, "a post in the trash keeps its files");
    library.delete_from_trash(second).unwrap();
    assert_eq!(library.asset_storage().unwrap(), (1, PNG.len() as u64));
    assert_eq!(library.assets(first).unwrap().len(), 2);
}

#[test]
fn bad_names_large_files_and_unknown_posts_are_refused_in_words() {
    let (_dir, mut library) = library();
    let post = library.create_post("text\n", Status::Draft).unwrap();
    for name in ["../../x.png", "/abs.png", "a\0.png", "a\\b.png", "img//a.png", ""] {
        let error = library.put_asset(post, name, PNG).unwrap_err();
        assert!(matches!(error, Error::BadAssetName { .. }), "{name:?}: {error:?}");
        assert!(error.to_string().contains("rename the file"), "{error}");
    }
    let huge = vec![0u8; MAX_ASSET_BYTES + 1];
    let error = library.put_asset(post, "huge.png", &huge).unwrap_err();
    assert!(matches!(error, Error::AssetTooLarge { .. }), "{error:?}");
    assert_eq!(error.to_string().split(':').next(), Some("huge.png"));
    assert!(error.to_string().contains("25 MiB"), "{error}");
    assert!(library.put_asset(post, "limit.bin", &huge[..MAX_ASSET_BYTES]).is_ok(), "exactly the limit is taken");
    assert!(matches!(library.put_asset(post + 100, "a.png", PNG).unwrap_err(), Error::NoSuchPost(_)));
    // Paste and drop take images only: an ELF binary named .png is refused by its content.
    let error = library.put_image(post, "x.png", ELF).unwrap_err();
    assert!(matches!(error, Error::NotAnImage { .. }), "{error:?}");
    assert!(library.asset(post, "x.png").unwrap().is_none());
    assert_eq!(library.put_image(post, "x.svg", SVG).unwrap().kind, AssetKind::Svg);
    // Import keeps any file of a bundle, as Other.
    assert_eq!(library.put_asset(post, "tool.png", ELF).unwrap().kind, AssetKind::Other);
    assert_eq!(library.assets(post).unwrap().iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["limit.bin", "tool.png", "x.svg"]);
}

#[test]
fn unique_names_add_a_number_before_the_extension() {
    let (_dir, mut library) = library();
    let post = library.create_post("text\n", Status::Draft).unwrap();
    let other = library.create_post("text\n", Status::Draft).unwrap();
    assert_eq!(library.unique_asset_name(post, "a.png").unwrap(), "a.png");
    library.put_asset(post, "a.png", PNG).unwrap();
    assert_eq!(library.unique_asset_name(post, "./a.png").unwrap(), "a-2.png");
    library.put_asset(post, "a-2.png", PNG).unwrap();
    assert_eq!(library.unique_asset_name(post, "a.png").unwrap(), "a-3.png");
    assert_eq!(library.unique_asset_name(other, "a.png").unwrap(), "a.png", "names are per post");
    assert!(library.unique_asset_name(post, "../a.png").is_err());
}

#[test]
fn an_asset_stays_while_the_text_or_any_revision_names_it() {
    let (_dir, mut library) = library();
    let post = library.create_post("# Post\n\nFirst words.\n", Status::Draft).unwrap();
    library.put_image(post, "kept.png", PNG).unwrap();
    library.put_image(post, "a b.png", SVG).unwrap();
    library.put_image(post, "never.png", PNG).unwrap();
    library.save_post(post, "", "# Post\n\n![](kept.png) ![](a%20b.png)\n").unwrap();
    let with_images = library.record_revision(post, "before undo").unwrap();
    // Undo: the current text no longer names either image; a revision still does.
    library.save_post(post, "", "# Post\n\nFirst words.\n").unwrap();
    assert_eq!(library.prune_assets(post).unwrap(), ["never.png"]);
    assert!(library.asset(post, "kept.png").unwrap().is_some());
    assert!(library.asset(post, "a b.png").unwrap().is_some(), "percent-encoded names count");
    // Restoring the old text finds its images.
    let restored = library.restore_revision(with_images).unwrap();
    assert!(restored.body.contains("kept.png"));
    assert!(library.asset(post, "kept.png").unwrap().is_some());
    // Files that came with a bundle are the page's: never pruned.
    library.put_asset_from(post, "data.csv", b"a,b\n", galley::library::AssetOrigin::Import).unwrap();
    assert!(library.prune_assets(post).unwrap().is_empty());
    assert!(library.asset(post, "data.csv").unwrap().is_some());
}

#[test]
fn a_backup_carries_the_assets_in_its_one_file() {
    let (dir, mut library) = library();
    let post = library.create_post("![](a.png)\n", Status::Draft).unwrap();
    library.put_asset(post, "a.png", PNG).unwrap();
    library.put_asset(post, "img/b.svg", SVG).unwrap();
    let copy = dir.path().join("copy.sqlite3");
    backup::backup_to(library.path(), &copy).unwrap();
    drop(library);
    let (restored, _) = Library::open(&copy).unwrap();
    assert_eq!(restored.asset(post, "a.png").unwrap().unwrap().1, PNG);
    assert_eq!(restored.asset(post, "img/b.svg").unwrap().unwrap().1, SVG);
    assert_eq!(restored.integrity_check().unwrap(), "ok");
}

#[test]
fn adding_a_file_makes_the_library_due_for_a_backup() {
    let (_dir, mut library) = library();
    let post = library.create_post("![](a.png)\n", Status::Draft).unwrap();
    assert!(backup::backup_if_changed(library.path()).unwrap().is_some());
    assert!(backup::backup_if_changed(library.path()).unwrap().is_none());
    library.put_asset(post, "a.png", PNG).unwrap();
    let copy = backup::backup_if_changed(library.path()).unwrap().expect("a new file is a change worth a backup");
    let (copied, _) = Library::open(&copy).unwrap();
    assert_eq!(copied.asset(post, "a.png").unwrap().unwrap().1, PNG);
}
