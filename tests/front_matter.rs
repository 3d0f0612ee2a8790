//! Front matter: table tests of splitting, reading, limits, error positions and in-place edits
//! that keep every other byte (comments, order, quoting, date formats, unknown keys).
use galley::front_matter::{self, FieldValue, Format};

#[test]
fn split_only_at_byte_zero() {
    let cases: &[(&str, &str)] = &[
        ("---\ntitle: A\n---\nbody", "---\ntitle: A\n---\n"),
        ("+++\ntitle = \"A\"\n+++\nbody", "+++\ntitle = \"A\"\n+++\n"),
        ("---\r\ntitle: A\r\n---\r\nbody", "---\r\ntitle: A\r\n---\r\n"),
        ("\n---\ntitle: A\n---\n", ""),
        ("---\ntitle: A\n", ""),
        ("--- \ntitle: A\n---\n", "--- \ntitle: A\n---\n"),
        ("# Heading\n---\n", ""),
        ("---\n---\n", "---\n---\n"),
    ];
    for (text, block) in cases {
        let (got, body) = front_matter::split(text);
        assert_eq!(got, *block, "{text:?}");
        assert_eq!(format!("{got}{body}"), *text);
    }
    assert_eq!(front_matter::format_of("+++\n+++\n"), Some(Format::Toml));
    assert_eq!(front_matter::format_of(""), None);
}

#[test]
fn reads_every_understood_field() {
    let block = "---\ntitle: \"Quoted: title\"\ndate: 2024-05-01T10:00:00+02:00\nlastmod: 2024-06-01\ndraft: true\nslug: custom-slug\ndescription: Desc\nsummary: Sum\ncategories: [A, B]\ntags: go\naliases:\n  - /old/\nauthor: Ada\nunknown:\n  nested: [1, 2]\n---\n";
    let fields = front_matter::parse_fields_checked(block).unwrap();
    assert_eq!(fields.title, "Quoted: title");
    assert_eq!(fields.date, "2024-05-01T10:00:00+02:00");
    assert_eq!(fields.updated, "2024-06-01");
    assert!(fields.draft);
    assert_eq!(fields.slug, "custom-slug");
    assert_eq!((fields.summary.as_str(), fields.description.as_str()), ("Sum", "Desc"));
    assert_eq!(fields.categories, ["A", "B"]);
    assert_eq!(fields.category, "A");
    assert_eq!(fields.tags, ["go"]);
    assert_eq!(fields.aliases, ["/old/"]);
    assert_eq!(fields.authors, ["Ada"]);
    let parsed = front_matter::parse(block).unwrap();
    assert_eq!(parsed.entries.first().map(|(k, _)| k.as_str()), Some("title"));
    assert!(parsed.get("unknown").is_some_and(|v| v.is_object()));
    let jekyll = front_matter::parse_fields("---\ntitle: x\npublished: false\n---\n");
    assert!(jekyll.draft);
}

#[test]
fn errors_carry_line_and_column() {
    let yaml = front_matter::parse_fields_checked("---\ntitle: ok\nsummary: \"unterminated\n---\n").unwrap_err();
    assert!(yaml.line >= 3, "{yaml:?}");
    let toml = front_matter::parse_fields_checked("+++\ntitle = \"ok\"\ndate = = 3\n+++\n").unwrap_err();
    assert_eq!(toml.line, 3, "{toml:?}");
    assert!(toml.column > 1, "{toml:?}");
    assert!(toml.to_string().starts_with("front matter line 3, column"));
}

#[test]
fn limits_reject_huge_blocks_and_alias_bombs() {
    let huge = format!("---\ntitle: x\nfiller: \"{}\"\n---\n", "a".repeat(front_matter::MAX_FRONT_MATTER_BYTES));
    let error = front_matter::parse_fields_checked(&huge).unwrap_err();
    assert!(error.message.contains("KiB"), "{error:?}");
    assert_eq!(front_matter::parse_fields(&huge).title, "x", "the lenient reader still finds the title");
    let mut bomb = String::from("---\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    let mut previous = "a".to_string();
    for level in 0..12 {
        let name = format!("b{level}");
        let refs = vec![format!("*{previous}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    bomb.push_str("---\n");
    assert!(front_matter::parse_fields_checked(&bomb).is_err());
}

/// How many lines a top-level YAML key occupies (key line plus `- ` items).
fn block_lines(block: &str, key: &str) -> usize {
    let mut lines = block.lines().skip_while(|l| !l.starts_with(&format!("{key}:")));
    lines.next().map_or(0, |_| 1 + lines.take_while(|l| l.starts_with("- ")).count())
}

#[test]
fn yaml_edits_keep_style_comments_and_other_lines() {
    let block = "---\n# comment\ntitle: 'It''s old'   # trailing\ndate: \"2020-01-02\"\ntags:\n- a\n- b\nnested:\n  keep: [1, 2]\n---\n";
    let cases: &[(&str, FieldValue, &str)] = &[
        ("title", FieldValue::Text("It's new".into()), "title: 'It''s new'   # trailing\n"),
        ("date", FieldValue::Date("2021-03-04".into()), "date: \"2021-03-04\"\n"),
        ("tags", FieldValue::List(vec!["c".into(), "d e".into()]), "tags:\n- c\n- d e\n"),
    ];
    for (key, value, expected) in cases {
        let edited = front_matter::set_value(block, key, value);
        assert!(edited.contains(expected), "{key}: {edited}");
        assert!(edited.contains("# comment\n") && edited.contains("nested:\n  keep: [1, 2]\n"), "{edited}");
        assert_eq!(edited.lines().count() - expected.lines().count(), block.lines().count() - block_lines(block, key));
    }
    let added = front_matter::set_value(block, "draft", &FieldValue::Bool(true));
    assert_eq!(added, block.replace("  keep: [1, 2]\n---\n", "  keep: [1, 2]\ndraft: true\n---\n"));
    let removed = front_matter::remove_field(block, "tags");
    assert_eq!(removed, block.replace("tags:\n- a\n- b\n", ""));
    let crlf = "---\r\ntitle: A\r\ndate: 2020-01-01\r\n---\r\n";
    assert_eq!(front_matter::set_value(crlf, "title", &FieldValue::Text("B".into())), "---\r\ntitle: B\r\ndate: 2020-01-01\r\n---\r\n");
}

#[test]
fn toml_edits_keep_comments_tables_and_literals() {
    let block =
        "+++\n# top comment\ntitle = 'Literal'  # note\ndate = 2024-01-02\n\n[taxonomies]\ntags = [\"a\"]\n\n[extra]\nx = { y = 1 }\n+++\n";
    let edited = front_matter::set_value(block, "tags", &FieldValue::List(vec!["b".into(), "c".into()]));
    assert_eq!(edited, block.replace("tags = [\"a\"]", "tags = [\"b\", \"c\"]"));
    let edited = front_matter::set_value(block, "date", &FieldValue::Date("2025-02-03".into()));
    assert_eq!(edited, block.replace("date = 2024-01-02", "date = 2025-02-03"));
    let edited = front_matter::set_value(block, "title", &FieldValue::Text("New".into()));
    assert_eq!(edited, block.replace("title = 'Literal'  # note", "title = \"New\"  # note"));
    let removed = front_matter::remove_field(block, "date");
    assert_eq!(removed, block.replace("date = 2024-01-02\n", ""));
}

#[test]
fn dates_normalize_only_when_loose() {
    assert_eq!(front_matter::normalize_date("2012-1-2").as_deref(), Some("2012-01-02"));
    assert_eq!(front_matter::normalize_date("2012-01-02").as_deref(), Some("2012-01-02"));
    assert_eq!(front_matter::normalize_date("2013-05-14T12:00:00Z").as_deref(), Some("2013-05-14T12:00:00Z"));
    assert_eq!(front_matter::normalize_date("yesterday"), None);
}
