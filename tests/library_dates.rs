//! Dates a site already says, kept by the library: a post imported without a date key gets the day
//! of its file name, URL keys or folders as its day, marked inferred (index view and details); a
//! post with its own date is not marked; a post nothing dates stays without a day (never today).
mod common;
use galley::import;
use galley::library::{Library, ListQuery};

#[test]
fn imported_posts_without_a_date_key_get_an_inferred_day() {
    let temp = tempfile::tempdir().unwrap();
    let (mut library, _) = Library::open(&temp.path().join("library.sqlite3")).unwrap();
    import::import_site(&mut library, &common::repo_path("tests/fixtures/zola-blog"), false).unwrap();
    let entries = library.index_entries(&ListQuery { limit: Some(50), ..ListQuery::default() }).unwrap();
    let entry = |title: &str| entries.iter().find(|e| e.title == title).unwrap_or_else(|| panic!("{title} not in the index"));
    let shown = |title: &str| (entry(title).date.as_str(), entry(title).date_inferred.as_deref());
    assert_eq!(shown("Saving registers on ARM"), ("2014-12-12", Some("the post's URL (path, url, aliases or permalink)")));
    assert_eq!(shown("Three template languages"), ("2013-05-06", Some("the file name")));
    assert_eq!(shown("Dated by its folders"), ("2012-03-04", Some("the folders of its path")));
    assert_eq!(shown("Shortcodes of Zola"), ("2015-01-02", None));
    assert_eq!(shown("Notes without a date"), ("", None));
    // Newest first by the inferred days too.
    let order: Vec<&str> = entries.iter().filter(|e| !e.date.is_empty()).map(|e| e.date.as_str()).collect();
    assert_eq!(order, ["2015-01-02", "2014-12-12", "2013-05-06", "2012-03-04"]);

    // The details of a post say the same; writing a date key replaces the inferred one.
    let id = entry("Saving registers on ARM").id;
    assert_eq!(library.post(id).unwrap().summary.date_inferred.as_deref(), Some("the post's URL (path, url, aliases or permalink)"));
    library.set_field(id, "date", &["2015-06-07".to_string()], false).unwrap();
    let summary = library.post(id).unwrap().summary;
    assert_eq!((summary.day.as_str(), summary.date_inferred), ("2015-06-07", None));
}
