//! Opening one Markdown file from outside (`galley-app FILE.md`, "Open with Galley", a dropped
//! file): imported once, found again, updated when only the file changed, the same post as the
//! linked site's import, and refusals in words.
use std::path::Path;

use galley::import::{self, ImportAction};
use galley::library::Library;
use galley::open_file::open_file;

fn open(temp: &Path) -> Library {
    Library::open(&temp.join("library.sqlite3")).unwrap().0
}

fn post_count(library: &Library) -> usize {
    library.list(None).unwrap().len()
}

#[test]
fn a_file_is_imported_once_then_found_and_follows_changes_made_outside() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = open(temp.path());
    let folder = temp.path().join("notes");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("first post.md");
    std::fs::write(&file, "---\ntitle: From the file manager\n---\nHello.\n").unwrap();

    let first = open_file(&mut library, &file).unwrap();
    assert_eq!(first.action, ImportAction::Create);
    assert_eq!(library.post(first.post_id).unwrap().summary.title, "From the file manager");
    assert_eq!(post_count(&library), 1);

    let again = open_file(&mut library, &file).unwrap();
    assert_eq!((again.post_id, again.action), (first.post_id, ImportAction::Unchanged));
    // The same file by another spelling of its path is the same post.
    let dotted = folder.join("..").join("notes").join("first post.md");
    assert_eq!(open_file(&mut library, &dotted).unwrap().post_id, first.post_id);
    assert_eq!(post_count(&library), 1);

    std::fs::write(&file, "---\ntitle: From the file manager\n---\nHello again.\n").unwrap();
    let changed = open_file(&mut library, &file).unwrap();
    assert_eq!((changed.post_id, changed.action), (first.post_id, ImportAction::Update));
    assert!(library.post(first.post_id).unwrap().body.contains("Hello again."));
    assert_eq!(post_count(&library), 1);

    // Changed in Galley and on disk: Galley's text is kept, the writer is told.
    library.save_body(first.post_id, "Edited in Galley.\n").unwrap();
    std::fs::write(&file, "---\ntitle: From the file manager\n---\nEdited outside.\n").unwrap();
    let both = open_file(&mut library, &file).unwrap();
    assert_eq!((both.post_id, both.action), (first.post_id, ImportAction::Conflict));
    assert!(both.notice.unwrap().contains("changed on disk and in Galley"));
    assert_eq!(library.post(first.post_id).unwrap().body, "Edited in Galley.\n");
}

#[test]
fn a_file_of_the_linked_site_is_the_post_its_import_made() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = open(temp.path());
    let site = temp.path().join("site");
    std::fs::create_dir_all(site.join("content/posts")).unwrap();
    std::fs::write(site.join("hugo.toml"), "title = 'x'\n").unwrap();
    let file = site.join("content/posts/go.md");
    std::fs::write(&file, "---\ntitle: Go\n---\nBody.\n").unwrap();
    let report = import::import_site(&mut library, &site, false).unwrap();
    library.set_linked_site(Some(&site.canonicalize().unwrap())).unwrap();
    let imported = report.imported[0].post_id;

    let opened = open_file(&mut library, &file).unwrap();
    assert_eq!((opened.post_id, opened.action), (imported, ImportAction::Unchanged));
    assert_eq!(post_count(&library), 1);
}

#[test]
fn files_that_are_not_posts_are_refused_in_words() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = open(temp.path());
    let refusal = |library: &mut Library, name: &str, bytes: &[u8]| {
        let path = temp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let error = open_file(library, &path).unwrap_err().to_string();
        assert!(error.contains(name), "names the file: {error}");
        error
    };
    assert!(refusal(&mut library, "picture.png", b"\x89PNG").contains("not a Markdown file"));
    assert!(refusal(&mut library, "binary.md", b"# x\0\x01\x02").contains("binary file"));
    assert!(refusal(&mut library, "latin1.md", b"caf\xe9\n").contains("not valid UTF-8"));
    let huge = vec![b'a'; (galley::site::MAX_FILE_BYTES + 1) as usize];
    assert!(refusal(&mut library, "huge.md", &huge).contains("larger than 5 MiB"));
    let missing = open_file(&mut library, &temp.path().join("gone.md")).unwrap_err().to_string();
    assert!(missing.contains("gone.md"), "{missing}");
    assert_eq!(post_count(&library), 0, "nothing was imported");
}

#[test]
fn a_file_whose_post_is_in_the_trash_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let mut library = open(temp.path());
    let file = temp.path().join("old.md");
    std::fs::write(&file, "# Old\n").unwrap();
    let opened = open_file(&mut library, &file).unwrap();
    library.trash_post(opened.post_id).unwrap();
    let error = open_file(&mut library, &file).unwrap_err().to_string();
    assert!(error.contains("trash"), "{error}");
}
