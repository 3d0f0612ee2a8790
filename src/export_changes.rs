//! What a converting preset changes in a post, for the export's dry run: keys renamed or added,
//! the date it had to infer (never today unless asked), template syntax protected; and where a
//! post comes from (the generator of the site it was imported from).
use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::dates;
use crate::export::Preset;
use crate::export_protect::{self, Protection};
use crate::front_matter::{self, FieldValue, Fields, Parsed};
use crate::library::SitePost;
use crate::site::config::Generator;
use crate::site::Layout;

/// One change a preset makes to a post, listed per post in the export plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PostChange {
    /// A key was written under another name (Zola: `extra.x`, `taxonomies.tags`).
    KeyRenamed {
        /// The post's key.
        from: String,
        /// The key written.
        to: String,
    },
    /// A key the target needs was added, copied from another key when `from` says so.
    KeyAdded {
        /// The key written.
        key: String,
        /// The post's key its value comes from.
        from: Option<String>,
    },
    /// A key the target does not read was left out.
    KeyDropped {
        /// The post's key.
        key: String,
    },
    /// The post has no date key: the date was inferred and written explicitly.
    DateInferred {
        /// `YYYY-MM-DD`.
        date: String,
        /// Where it was read, in words.
        from: String,
    },
    /// The post has no date and none could be inferred: the writer chose today's date.
    DateToday {
        /// `YYYY-MM-DD`.
        date: String,
    },
    /// Template syntax of another generator was protected.
    TemplateProtected(Protection),
    /// Images moved next to the post (filled by the export of page bundles).
    ImagesMoved {
        /// How many.
        count: usize,
    },
}

impl PostChange {
    /// The change in words (the CLI's plain dry run).
    pub fn describe(&self) -> String {
        match self {
            PostChange::KeyRenamed { from, to } => format!("key {from} written as {to}"),
            PostChange::KeyAdded { key, from: Some(from) } => format!("key {key} added (from {from})"),
            PostChange::KeyAdded { key, from: None } => format!("key {key} added"),
            PostChange::KeyDropped { key } => format!("key {key} left out"),
            PostChange::DateInferred { date, from } => format!("date {date} inferred from {from}"),
            PostChange::DateToday { date } => format!("no date: today's date {date} written, as asked"),
            PostChange::TemplateProtected(p) => {
                format!("template syntax protected for {:?} ({}; {} in code, {} in prose)", p.generator, p.how, p.in_code, p.in_prose)
            }
            PostChange::ImagesMoved { count } => format!("{count} image(s) moved next to the post"),
        }
    }
}

/// What an export does with a post that has no date and whose date cannot be inferred.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    /// Refuse it, naming the post (the default).
    #[default]
    Refuse,
    /// Write today's date (the writer's explicit choice: `--undated today`).
    Today,
}

/// How posts are rendered beyond their preset: where each comes from and what to do without a date.
#[derive(Debug, Clone, Default)]
pub struct RenderContext {
    /// Post id → the generator of the site it was imported from (absent: written in Galley).
    pub origins: HashMap<i64, Generator>,
    /// Posts without any date.
    pub undated: Undated,
    /// Today (`YYYY-MM-DD`), used only with [`Undated::Today`].
    pub today: String,
}

impl RenderContext {
    /// A context for these import roots (post id → site folder), reading each folder's config once.
    pub fn from_import_roots(roots: &HashMap<i64, String>, undated: Undated) -> RenderContext {
        let mut generators: HashMap<&str, Option<Generator>> = HashMap::new();
        let origins = roots
            .iter()
            .filter_map(|(id, root)| generators.entry(root.as_str()).or_insert_with(|| generator_of(Path::new(root))).map(|g| (*id, g)))
            .collect();
        RenderContext { origins, undated, today: chrono::Utc::now().format("%Y-%m-%d").to_string() }
    }
}

/// The generator of a site folder (its detected layout's).
pub fn generator_of(root: &Path) -> Option<Generator> {
    Layout::detect(root).generator()
}

/// The generator a preset writes for (`None`: keep).
pub fn target_of(preset: Preset) -> Option<Generator> {
    match preset {
        Preset::Keep => None,
        Preset::Hugo => Some(Generator::Hugo),
        Preset::Zola => Some(Generator::Zola),
        Preset::Jekyll => Some(Generator::Jekyll),
        Preset::Astro => Some(Generator::Astro),
    }
}

/// The `path`, `url`, `permalink` and `aliases` values of a front matter (where dates hide in URLs).
pub fn url_values(parsed: &Parsed) -> Vec<String> {
    let mut urls = Vec::new();
    for key in ["path", "url", "permalink", "aliases"] {
        match parsed.get(key) {
            Some(Json::String(s)) => urls.push(s.clone()),
            Some(Json::Array(items)) => urls.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string))),
            _ => {}
        }
    }
    urls
}

/// The date a converting preset writes for a post: its own (`None` change), inferred, or today when
/// the writer asked for it. An error naming what to do when there is none.
pub fn export_date(post: &SitePost, parsed: &Parsed, fields: &Fields, ctx: &RenderContext) -> Result<(String, Option<PostChange>), String> {
    if let Some(date) = front_matter::normalize_date(&fields.date) {
        return Ok((date, None));
    }
    let urls = url_values(parsed);
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    if let Some(inferred) = dates::infer_date(post.source_path.as_deref(), &urls) {
        let from = inferred.source.as_str().to_string();
        return Ok((inferred.day.clone(), Some(PostChange::DateInferred { date: inferred.day, from })));
    }
    match ctx.undated {
        Undated::Today if !ctx.today.is_empty() => Ok((ctx.today.clone(), Some(PostChange::DateToday { date: ctx.today.clone() }))),
        _ => Err(format!(
            "has no date, and neither its file name ({}) nor its URL says one: add a date to the post, or export with --undated today \
             (in the app: \"date undated posts today\") to give it today's date",
            post.source_path.as_deref().unwrap_or("never imported")
        )),
    }
}

/// Writes a date the post did not have into the block, under the key the preset reads.
pub fn write_date(block: &str, preset: Preset, date: &str) -> String {
    let key = if preset == Preset::Astro { "pubDate" } else { "date" };
    front_matter::set_value(block, key, &FieldValue::Date(date.to_string()))
}

/// Protects the body's template syntax for the preset's generator; Jekyll's switch goes into the block.
pub fn protect_body(post: &SitePost, preset: Preset, block: &mut String, ctx: &RenderContext) -> (String, Option<PostChange>) {
    let Some(target) = target_of(preset) else { return (post.body.clone(), None) };
    let mut protected = export_protect::protect(&post.body, target, ctx.origins.get(&post.id).copied());
    if protected.disable_liquid {
        *block = front_matter::set_value(block, "render_with_liquid", &FieldValue::Bool(false));
        // Jekyll still cuts an excerpt from the first paragraph and warns about a `{%` block in it;
        // without an `excerpt` of the post's own, no excerpt is cut.
        let has_excerpt = front_matter::parse(block).is_ok_and(|parsed| parsed.get("excerpt").is_some());
        if protected.body.contains("{%") && !has_excerpt {
            *block = front_matter::set_value(block, "excerpt_separator", &FieldValue::Text(String::new()));
            if let Some(protection) = &mut protected.protection {
                protection.how.push_str(", excerpt_separator: \"\"");
            }
        }
    }
    (protected.body, protected.protection.map(PostChange::TemplateProtected))
}

/// Every key of a block with its value, `extra.x` and `taxonomies.x` flattened (Zola's tables).
fn flat_entries(parsed: &Parsed) -> Vec<(String, Json)> {
    let mut flat = Vec::new();
    for (key, value) in &parsed.entries {
        match (key.as_str(), value) {
            ("extra" | "taxonomies", Json::Object(map)) => flat.extend(map.iter().map(|(k, v)| (format!("{key}.{k}"), v.clone()))),
            _ => flat.push((key.clone(), value.clone())),
        }
    }
    flat
}

/// The keys a preset renamed, added and left out, comparing the post's block with the written one
/// (dates inferred, `render_with_liquid` and `draft`/`published` are reported by their own changes
/// or speak for themselves).
pub fn key_changes(before: &Parsed, after_block: &str, skip: &[&str]) -> Vec<PostChange> {
    let Ok(after) = front_matter::parse(after_block) else { return Vec::new() };
    let before = flat_entries(before);
    let after = flat_entries(&after);
    let same = |a: &Json, b: &Json| a == b || front_matter::text_of(a) == front_matter::text_of(b);
    let mut changes = Vec::new();
    let mut explained: Vec<&str> = Vec::new();
    for (key, value) in &before {
        if after.iter().any(|(k, _)| k == key) {
            continue;
        }
        match after.iter().find(|(k, v)| !before.iter().any(|(b, _)| b == k) && same(v, value)) {
            Some((to, _)) => {
                changes.push(PostChange::KeyRenamed { from: key.clone(), to: to.clone() });
                explained.push(to);
            }
            None => changes.push(PostChange::KeyDropped { key: key.clone() }),
        }
    }
    for (key, value) in &after {
        if before.iter().any(|(k, _)| k == key) || explained.contains(&key.as_str()) || skip.contains(&key.as_str()) {
            continue;
        }
        let from = before.iter().find(|(_, v)| same(v, value)).map(|(k, _)| k.clone());
        changes.push(PostChange::KeyAdded { key: key.clone(), from });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_changes_name_renames_additions_and_drops() {
        let before = front_matter::parse("---\ntitle: T\nsummary: S\ntags: [a]\nlayout: post\n---\n").unwrap();
        let after = "+++\ntitle = \"T\"\ndescription = \"S\"\n[taxonomies]\ntags = [\"a\"]\n[extra]\nlayout = \"post\"\n+++\n";
        let changes = key_changes(&before, after, &[]);
        assert_eq!(
            changes,
            [
                PostChange::KeyRenamed { from: "summary".into(), to: "description".into() },
                PostChange::KeyRenamed { from: "tags".into(), to: "taxonomies.tags".into() },
                PostChange::KeyRenamed { from: "layout".into(), to: "extra.layout".into() },
            ]
        );
        let added = key_changes(&before, "---\ntitle: T\nsummary: S\ntags: [a]\nlayout: post\nexcerpt: S\nx: 1\n---\n", &["x"]);
        assert_eq!(added, [PostChange::KeyAdded { key: "excerpt".into(), from: Some("summary".into()) }]);
    }

    fn post(front_matter: &str, source: Option<&str>) -> SitePost {
        SitePost {
            id: 1,
            status: crate::library::Status::Published,
            title: String::new(),
            front_matter: front_matter.into(),
            body: String::new(),
            source_path: source.map(str::to_string),
            created_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn dates_are_inferred_or_refused_never_today_silently() {
        let undated = post("+++\ntitle = \"ARM\"\npath = \"2014/12/12/arm\"\n+++\n", Some("content/arm.md"));
        let parsed = front_matter::parse(&undated.front_matter).unwrap();
        let fields = front_matter::fields_of(&parsed);
        let ctx = RenderContext { today: "2030-01-01".into(), ..RenderContext::default() };
        let (date, change) = export_date(&undated, &parsed, &fields, &ctx).unwrap();
        assert_eq!(date, "2014-12-12");
        assert!(matches!(change, Some(PostChange::DateInferred { .. })));

        let nothing = post("---\ntitle: Nothing\n---\n", Some("content/nothing.md"));
        let parsed = front_matter::parse(&nothing.front_matter).unwrap();
        let fields = front_matter::fields_of(&parsed);
        let refused = export_date(&nothing, &parsed, &fields, &ctx).unwrap_err();
        assert!(refused.contains("--undated today") && refused.contains("content/nothing.md"), "{refused}");
        let today = RenderContext { undated: Undated::Today, ..ctx };
        assert_eq!(
            export_date(&nothing, &parsed, &fields, &today).unwrap(),
            ("2030-01-01".into(), Some(PostChange::DateToday { date: "2030-01-01".into() }))
        );
    }
}
