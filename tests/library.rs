//! Integration tests of the draft library: posts and derived fields, revisions, trash, search
//! (with hostile queries), the index view, durability and two handles on one file.
use galley::library::{DiffKind, Library, ListQuery, Sort, Status};
use galley::Error;

fn open_temp() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let (library, fresh) = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    assert!(fresh);
    (dir, library)
}

fn post_text(title: &str, date: &str, tags: &[&str], body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ncategory: Blog\ntags: [{}]\n---\n{body}", tags.join(", "))
}

fn titles(posts: &[galley::library::PostSummary]) -> Vec<&str> {
    posts.iter().map(|p| p.title.as_str()).collect()
}

#[test]
fn posts_carry_derived_fields() {
    let (_dir, mut library) = open_temp();
    let text = "---\ntitle: Inside the Go scheduler\ndate: 2024-03-09T18:30:00-08:00\nupdated: 2024-04-01\n\
                summary: How goroutines are placed on threads.\ncategory: Blog\ntags: [go, runtime]\n---\n\
                # Intro\n\nThe scheduler has three parts.\n";
    let id = library.create_post(text, Status::Draft).unwrap();
    let post = library.post(id).unwrap();
    assert_eq!(post.text(), text, "the text is kept byte for byte");
    let s = &post.summary;
    assert_eq!(s.title, "Inside the Go scheduler");
    assert_eq!(s.date, "2024-03-09T18:30:00-08:00");
    assert_eq!(s.day, "2024-03-09");
    assert_eq!(s.updated, "2024-04-01");
    assert_eq!(s.category, "Blog");
    assert_eq!(s.tags, vec!["go", "runtime"]);
    assert_eq!(s.excerpt, "How goroutines are placed on threads.");
    assert_eq!(s.status, Status::Draft);
    assert!(s.deleted_at.is_none());
    assert!(s.reading_minutes >= 1);
    assert_eq!(library.tags().unwrap().len(), 2);
}

#[test]
fn new_draft_save_body_and_set_field() {
    let (_dir, mut library) = open_temp();
    let id = library.new_draft("Hello").unwrap();
    let saved = library.save_body(id, "Some words here.\n").unwrap();
    assert_eq!(saved.words, 3);
    assert_eq!(saved.excerpt, "Some words here.");
    let post = library.set_field(id, "tags", &["a".into(), "b".into()], true).unwrap();
    assert_eq!(post.summary.tags, vec!["a", "b"]);
    assert_eq!(post.body, "Some words here.\n");
    let post = library.set_field(id, "date", &["2020-01-02".into()], false).unwrap();
    assert_eq!(post.summary.day, "2020-01-02");
    assert!(matches!(library.save_body(9999, "x"), Err(Error::NoSuchPost(9999))));
}

#[test]
fn bulk_create_is_one_transaction() {
    let (_dir, mut library) = open_temp();
    let texts: Vec<String> = (0..20).map(|i| post_text(&format!("Post {i}"), "2024-01-01", &[], "body")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let ids = library.create_posts(&refs, Status::Published, "imported").unwrap();
    assert_eq!(ids.len(), 20);
    assert_eq!(library.list(Some(Status::Published)).unwrap().len(), 20);
    assert_eq!(library.revisions(ids[0]).unwrap()[0].reason, "imported");
}

#[test]
fn revisions_are_recorded_diffed_and_restored() {
    let (_dir, mut library) = open_temp();
    let id = library.create_post("---\ntitle: T\n---\nline one\nline two\n", Status::Draft).unwrap();
    let created = library.revisions(id).unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].reason, "created");
    assert_eq!(created[0].words, 4);

    // Typing: consecutive saves fold into one "edit" revision.
    library.save_body(id, "line one\nline two\nline three\n").unwrap();
    library.save_body(id, "line one\nline two\nline three\nline four\n").unwrap();
    let revisions = library.revisions(id).unwrap();
    assert_eq!(revisions.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>(), vec!["edit", "created"]);
    // Saving the same text changes nothing.
    let before = library.post(id).unwrap().summary.modified_at;
    library.save_body(id, "line one\nline two\nline three\nline four\n").unwrap();
    assert_eq!(library.revision_count(id).unwrap(), 2);
    assert_eq!(library.post(id).unwrap().summary.modified_at, before);

    // A status change is always its own revision.
    library.set_status(id, Status::Ready).unwrap();
    assert_eq!(library.revisions(id).unwrap()[0].reason, "status: ready");
    // Import and export code record their own.
    let exported = library.record_revision(id, "export: content/posts/t.md").unwrap();
    assert_eq!(library.revision(exported).unwrap().summary.reason, "export: content/posts/t.md");
    assert!(matches!(library.record_revision(424242, "x"), Err(Error::NoSuchPost(424242))));

    // Diff of the first revision against the current text.
    let first = created[0].id;
    let diff = library.diff_revision(first).unwrap();
    assert_eq!((diff.inserted, diff.deleted), (2, 0));
    let inserted: Vec<&str> =
        diff.hunks.iter().flat_map(|h| &h.lines).filter(|l| l.kind == DiffKind::Insert).map(|l| l.text.as_str()).collect();
    assert_eq!(inserted, vec!["line three", "line four"]);
    assert!(diff.unified().contains("+line four\n"));
    let between = library.diff_revisions(first, exported).unwrap();
    assert_eq!(between.inserted, 2);

    // Edit again, then restore the first revision: nothing is lost.
    library.save_body(id, "completely new text\n").unwrap();
    let restored = library.restore_revision(first).unwrap();
    assert_eq!(restored.body, "line one\nline two\n");
    assert_eq!(restored.summary.words, 4);
    let revisions = library.revisions(id).unwrap();
    assert!(revisions[0].reason.starts_with("restored from "), "{}", revisions[0].reason);
    let texts: Vec<String> = revisions.iter().map(|r| library.revision(r.id).unwrap().body).collect();
    assert!(texts.contains(&"completely new text\n".to_string()), "the pre-restore text is kept");
    assert_eq!(library.diff_revision(revisions[0].id).unwrap().hunks.len(), 0);
    // Restoring again right away keeps the pre-restore text once (it is already the latest).
    let count = library.revision_count(id).unwrap();
    library.restore_revision(first).unwrap();
    assert_eq!(library.revision_count(id).unwrap(), count + 1);
    assert!(matches!(library.revision(987654), Err(Error::NoSuchRevision(987654))));
    assert!(matches!(library.diff_revision(987654), Err(Error::NoSuchRevision(987654))));
}

#[test]
fn trash_hides_restores_and_empties() {
    let (_dir, mut library) = open_temp();
    let keep = library.create_post(&post_text("Keep", "2024-01-01", &["x"], "walrus keep\n"), Status::Draft).unwrap();
    let gone = library.create_post(&post_text("Gone", "2024-01-02", &["x"], "walrus gone\n"), Status::Draft).unwrap();
    library.save_body(gone, "walrus gone, edited\n").unwrap();

    library.trash_post(gone).unwrap();
    assert_eq!(titles(&library.list(None).unwrap()), vec!["Keep"]);
    assert_eq!(titles(&library.search("walrus").unwrap()), vec!["Keep"]);
    assert_eq!(library.tags().unwrap()[0].posts, 1);
    assert!(matches!(library.post(gone), Err(Error::NoSuchPost(_))));
    assert!(matches!(library.save_body(gone, "x"), Err(Error::NoSuchPost(_))));
    assert!(matches!(library.trash_post(gone), Err(Error::NoSuchPost(_))));
    let trashed = library.trashed().unwrap();
    assert_eq!(titles(&trashed), vec!["Gone"]);
    assert!(trashed[0].deleted_at.is_some());
    assert_eq!(library.revisions(gone).unwrap().len(), 2, "revisions stay while in the trash");

    let back = library.restore_post(gone).unwrap();
    assert_eq!(back.title, "Gone");
    assert!(back.deleted_at.is_none());
    assert_eq!(library.search("walrus").unwrap().len(), 2);
    assert!(library.trashed().unwrap().is_empty());
    assert!(matches!(library.restore_post(gone), Err(Error::NoSuchPost(_))));

    library.trash_post(gone).unwrap();
    assert!(matches!(library.delete_from_trash(keep), Err(Error::NoSuchPost(_))), "only trashed posts can be deleted");
    let revision = library.revisions(gone).unwrap()[0].id;
    assert_eq!(library.empty_trash().unwrap(), 1);
    assert_eq!(library.empty_trash().unwrap(), 0);
    assert!(library.trashed().unwrap().is_empty());
    assert!(matches!(library.revision(revision), Err(Error::NoSuchRevision(_))));
    assert!(library.revisions(gone).unwrap().is_empty());
    assert_eq!(titles(&library.list(None).unwrap()), vec!["Keep"]);
    assert_eq!(library.integrity_check().unwrap(), "ok");
}

fn search_fixture() -> (tempfile::TempDir, Library, [i64; 4]) {
    let (dir, mut library) = open_temp();
    let a = library
        .create_post(
            &post_text("Goroutines in depth", "2024-05-01", &["go", "runtime"], "The scheduler multiplexes goroutines.\n"),
            Status::Published,
        )
        .unwrap();
    let b = library
        .create_post(
            &post_text(
                "eBPF tracing",
                "2023-11-20T08:00:00Z",
                &["linux", "ebpf"],
                "Probes attach to kernel functions. A goroutine is not involved.\n",
            ),
            Status::Draft,
        )
        .unwrap();
    let c = library
        .create_post(
            &post_text(
                "x86-64 calling conventions",
                "not a date",
                &["asm"],
                "Registers rdi, rsi, rdx carry arguments. 日本語のテキスト。 Café crème.\n",
            ),
            Status::Ready,
        )
        .unwrap();
    let d = library
        .create_post(
            &post_text("Allocators", "2024-05-01 09:00:00 +0200", &["go", "memory"], "Size classes and spans; the mcache.\n"),
            Status::Draft,
        )
        .unwrap();
    (dir, library, [a, b, c, d])
}

#[test]
fn any_query_is_safe() {
    let (_dir, library, _) = search_fixture();
    let long = "goroutine ".repeat(5000);
    let many_quotes = "\"".repeat(1001);
    let queries: Vec<&str> = vec![
        "",
        " ",
        "\"",
        "\"\"",
        "\"unbalanced",
        "a\"b",
        "-",
        "--",
        "-goroutine",
        "go-runtime",
        "title:",
        "title:goroutines",
        "body:kernel",
        "NEAR",
        "NEAR(a b)",
        "NEAR(goroutines scheduler, 5)",
        "AND",
        "OR",
        "NOT",
        "a AND",
        "OR b",
        "NOT NOT",
        "goroutines AND NOT",
        "(",
        ")",
        "((goroutines",
        "goroutines))",
        "*",
        "go*",
        "*go",
        "^",
        "^goroutines",
        "+",
        "{",
        "}",
        "[",
        "]",
        ":",
        ";",
        ",",
        ".",
        "'",
        "`",
        "\\",
        "/",
        "|",
        "&",
        "%",
        "$",
        "#",
        "@",
        "!",
        "?",
        "~",
        "=",
        "\0",
        "go\0routines",
        "\u{1F980}",
        "\u{1F980} rust",
        "日本語",
        "テキスト",
        "café",
        "cafe",
        "\u{0301}",
        "\u{200B}",
        "\t\n\r",
        "a:b:c",
        "\"a\" \"b\"",
        "\"\" goroutines",
        "rdi,rsi",
        "x86-64",
        "sched*ler",
        long.as_str(),
        many_quotes.as_str(),
        "'; DROP TABLE posts; --",
        "\"; DELETE FROM posts_fts; --",
    ];
    assert!(queries.len() >= 30);
    for query in &queries {
        let found = library.search(query);
        assert!(found.is_ok(), "search({query:?}) failed: {found:?}");
        for sort in [Sort::Relevance, Sort::DateDesc, Sort::TitleAsc] {
            let page = ListQuery { text: Some(query.to_string()), sort, limit: Some(10), ..ListQuery::default() };
            assert!(library.list_page(&page).is_ok(), "list_page({query:?}, {sort:?}) failed");
            assert!(library.count(&page).is_ok(), "count({query:?}) failed");
        }
    }
    assert_eq!(library.list(None).unwrap().len(), 4, "nothing was harmed");
    assert_eq!(library.integrity_check().unwrap(), "ok");
}

#[test]
fn search_finds_by_title_summary_body_tags() {
    let (_dir, library, [a, b, c, d]) = search_fixture();
    let ids = |query: &str| library.search(query).unwrap().iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids("goroutines")[0], a, "a title match ranks first");
    assert_eq!(ids("goroutine"), vec![a, b], "prefix match");
    assert_eq!(ids("kernel"), vec![b]);
    assert_eq!(ids("ebpf"), vec![b]);
    assert_eq!(ids("memory"), vec![d], "tags are searched");
    assert_eq!(ids("title:goroutines"), vec![a], "a column filter");
    assert_eq!(ids("body:goroutine"), vec![b, a], "equal rank: newest first");
    assert_eq!(ids("title:goroutine tags:go"), vec![a]);
    assert_eq!(ids("tag:ebpf"), vec![b]);
    assert_eq!(ids("title:"), Vec::<i64>::new());
    assert_eq!(ids("author:goroutines"), Vec::<i64>::new(), "an unknown column is a phrase");
    assert_eq!(ids("\"size classes\""), vec![d], "quoted phrase");
    assert_eq!(ids("\"classes size\""), Vec::<i64>::new(), "a phrase's words must be in order");
    assert_eq!(ids("\"size kernel\""), Vec::<i64>::new());
    assert_eq!(ids("\"spans the mcache\""), vec![d], "punctuation between the words does not matter");
    assert_eq!(ids("\"CAFE CREME\""), vec![c], "nor case and diacritics");
    assert_eq!(ids("\"classes and\" spans"), vec![d], "a phrase and a word");
    assert_eq!(ids("\"allocators size\""), Vec::<i64>::new(), "a phrase does not run from the title into the body");
    // The same in every list order, and in the count the virtualized list uses.
    for sort in [Sort::Relevance, Sort::DateDesc, Sort::TitleAsc] {
        let page = |text: &str| ListQuery { text: Some(text.into()), sort, limit: Some(10), ..ListQuery::default() };
        let found: Vec<i64> = library.list_page(&page("\"size classes\"")).unwrap().iter().map(|p| p.id).collect();
        assert_eq!(found, vec![d], "{sort:?}");
        assert_eq!(library.count(&page("\"size classes\"")).unwrap(), 1, "{sort:?}");
        assert!(library.list_page(&page("\"classes size\"")).unwrap().is_empty(), "{sort:?}");
        assert_eq!(library.count(&page("\"classes size\"")).unwrap(), 0, "{sort:?}");
    }
    assert_eq!(ids("cafe"), vec![c], "diacritics are folded");
    assert_eq!(ids("日本語のテキスト"), vec![c]);
    assert_eq!(ids("x86-64"), vec![c]);
    assert_eq!(ids("goroutine scheduler"), vec![a], "every word must match");
    assert!(ids("-").is_empty());
}

#[test]
fn lists_filter_sort_and_page() {
    let (_dir, mut library, [a, b, c, d]) = search_fixture();
    let page = |query: ListQuery| library.list_page(&query).unwrap().iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(page(ListQuery { sort: Sort::DateDesc, ..Default::default() }), vec![d, a, b, c], "undated last");
    assert_eq!(page(ListQuery { sort: Sort::DateAsc, ..Default::default() }), vec![b, a, d, c], "undated last");
    assert_eq!(page(ListQuery { sort: Sort::TitleAsc, ..Default::default() }), vec![d, b, a, c]);
    assert_eq!(page(ListQuery { sort: Sort::TitleDesc, ..Default::default() }), vec![c, a, b, d]);
    assert_eq!(page(ListQuery { sort: Sort::ModifiedDesc, ..Default::default() }), vec![d, c, b, a]);
    assert_eq!(page(ListQuery { sort: Sort::ModifiedAsc, ..Default::default() }), vec![a, b, c, d]);
    assert_eq!(page(ListQuery { status: Some(Status::Draft), sort: Sort::DateDesc, ..Default::default() }), vec![d, b]);
    assert_eq!(page(ListQuery { tag: Some("go".into()), sort: Sort::TitleAsc, ..Default::default() }), vec![d, a]);
    assert_eq!(page(ListQuery { tag: Some("go".into()), status: Some(Status::Published), ..Default::default() }), vec![a]);
    let text = |text: &str, sort| ListQuery { text: Some(text.into()), sort, ..Default::default() };
    assert_eq!(page(text("goroutine", Sort::DateAsc)), vec![b, a]);
    assert_eq!(page(ListQuery { status: Some(Status::Draft), ..text("goroutine", Sort::Relevance) }), vec![b]);
    assert_eq!(page(ListQuery { tag: Some("go".into()), ..text("goroutine", Sort::Relevance) }), vec![a]);
    assert_eq!(page(text("   ", Sort::TitleAsc)).len(), 4, "a blank text is no filter");
    assert!(page(text("(", Sort::TitleAsc)).is_empty(), "punctuation finds nothing");
    // Paging.
    let first = page(ListQuery { sort: Sort::TitleAsc, limit: Some(2), ..Default::default() });
    let second = page(ListQuery { sort: Sort::TitleAsc, offset: 2, limit: Some(2), ..Default::default() });
    assert_eq!([first, second].concat(), vec![d, b, a, c]);
    assert_eq!(page(ListQuery { text: Some("goroutine".into()), offset: 1, limit: Some(1), ..Default::default() }), vec![b]);
    assert_eq!(library.count(&ListQuery::default()).unwrap(), 4);
    assert_eq!(library.count(&ListQuery { tag: Some("go".into()), ..Default::default() }).unwrap(), 2);
    assert_eq!(library.count(&text("goroutine", Sort::Relevance)).unwrap(), 2);
    // The ListQuery the app sends as JSON.
    let query: ListQuery = serde_json::from_str(r#"{"status":"draft","sort":"date_desc","limit":50}"#).unwrap();
    assert_eq!(page(query), vec![d, b]);
    // Editing moves a post to the top of the modified order.
    library.save_body(a, "changed\n").unwrap();
    assert_eq!(library.list_page(&ListQuery::default()).unwrap()[0].id, a);
}

#[test]
fn index_view_shows_what_the_blog_shows() {
    let (_dir, mut library, [a, b, c, d]) = search_fixture();
    let summaryless = library
        .create_post(
            "---\ntitle: No summary\ndate: 2025-01-01T00:30:00+09:00\n---\n## Heading\n\nFirst *real* paragraph.\n\nSecond.\n",
            Status::Draft,
        )
        .unwrap();
    let entries = library.index_entries(&ListQuery::default()).unwrap();
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![summaryless, d, a, b, c], "newest first, undated last");
    assert_eq!(entries[0].date, "2025-01-01", "the day as written, not shifted to UTC");
    assert_eq!(entries[0].summary, "First real paragraph.");
    assert_eq!(entries[0].reading_time, "1 min read");
    assert_eq!(entries[1].category, "Blog");
    assert_eq!(entries[1].date, "2024-05-01");
    assert_eq!(entries[3].date, "2023-11-20");
    assert_eq!(entries[4].date, "");
    assert_eq!(entries[4].written_date, "not a date");
    let json = serde_json::to_value(&entries[1]).unwrap();
    for key in ["id", "title", "category", "summary", "date", "reading_time", "status", "tags"] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    let drafts = library.index_entries(&ListQuery { status: Some(Status::Draft), limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!(drafts.iter().map(|e| e.id).collect::<Vec<_>>(), vec![summaryless, d]);
}

#[test]
fn writes_survive_a_drop_without_close() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    let mut ids = Vec::new();
    {
        let (mut library, _) = Library::open(&path).unwrap();
        for i in 0..5 {
            let id = library.new_draft(&format!("Draft {i}")).unwrap();
            library.save_body(id, &format!("typed text {i}\n")).unwrap();
            ids.push(id);
        }
        library.set_status(ids[0], Status::Ready).unwrap();
        library.trash_post(ids[4]).unwrap();
        // Never closed: the connection and its WAL are simply abandoned, as in a crash.
        std::mem::forget(library);
    }
    {
        let (library, fresh) = Library::open(&path).unwrap();
        assert!(!fresh);
        for (i, id) in ids.iter().take(4).enumerate() {
            assert_eq!(library.post(*id).unwrap().body, format!("typed text {i}\n"));
        }
        assert_eq!(library.summary(ids[0]).unwrap().status, Status::Ready);
        assert_eq!(library.trashed().unwrap().len(), 1);
        assert_eq!(library.integrity_check().unwrap(), "ok");
        library.search("typed").unwrap();
        drop(library);
    }
    let (library, _) = Library::open(&path).unwrap();
    assert_eq!(library.list(None).unwrap().len(), 4);
    assert_eq!(library.integrity_check().unwrap(), "ok");
}

#[test]
fn two_handles_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    let (mut app, _) = Library::open(&path).unwrap();
    let (mut cli, fresh) = Library::open(&path).unwrap();
    assert!(!fresh);
    assert!(app.list(None).unwrap().is_empty());
    let version = app.data_version().unwrap();
    let id = cli.new_draft("From the CLI").unwrap();
    assert_ne!(app.data_version().unwrap(), version, "the app notices the CLI's commit");
    assert_eq!(titles(&app.list(None).unwrap()), vec!["From the CLI"]);
    assert_eq!(app.search("CLI").unwrap().len(), 1);
    // And the other way round, interleaved writes from both.
    app.save_body(id, "edited in the app\n").unwrap();
    let version = cli.data_version().unwrap();
    cli.new_draft("Second").unwrap();
    assert_eq!(cli.post(id).unwrap().body, "edited in the app\n");
    assert_eq!(cli.data_version().unwrap(), version, "a handle's own commits do not count");
    assert_eq!(app.list(None).unwrap().len(), 2);
    assert_eq!(app.integrity_check().unwrap(), "ok");
}
