//! Export of library posts into a site folder: presets (keep, hugo, zola, jekyll, astro) that map
//! fields and name files from sanitized slugs, a dry-run plan (create / update / unchanged /
//! conflict), atomic writes that never follow symlinks, and hash records that refuse to overwrite
//! files changed outside Galley unless forced.
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::export_assets::{self, AssetExportItem};
use crate::export_changes;
pub use crate::export_changes::{PostChange, RenderContext, Undated};
use crate::front_matter::{self, FieldValue, Fields, Format, Parsed};
use crate::library::{AssetExportWrite, ExportWrite, Library, PostFile, SiteAsset, SitePost, Status};
use crate::site::{self, content_hash, Found, Staged, MAX_FILE_BYTES};
use crate::slug;

/// How posts are written into the site folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Each post byte for byte in its own format at its own site-relative path (from import), or
    /// `<slug>.md` for posts that were never imported.
    Keep,
    /// Hugo: `content/posts/<slug>.md`, the post's own format (YAML when none); `description`
    /// from the summary, `categories`, `lastmod`, `draft`.
    Hugo,
    /// Zola: `content/blog/<slug>.md`, TOML `+++` with only Zola's documented keys, tags and
    /// categories under `[taxonomies]`, everything else under `[extra]`.
    Zola,
    /// Jekyll: `_posts/YYYY-MM-DD-<slug>.md`, YAML, `excerpt` from the summary, `published: false`
    /// for drafts.
    Jekyll,
    /// Astro content collections: `src/content/blog/<slug>.md`, YAML, `pubDate`, `description`,
    /// `updatedDate`, `draft`.
    Astro,
}

impl Preset {
    /// Every preset, in the order the UI lists them.
    pub const ALL: [Preset; 5] = [Preset::Keep, Preset::Hugo, Preset::Zola, Preset::Jekyll, Preset::Astro];

    /// The preset's name (as the CLI takes it).
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Keep => "keep",
            Preset::Hugo => "hugo",
            Preset::Zola => "zola",
            Preset::Jekyll => "jekyll",
            Preset::Astro => "astro",
        }
    }

    /// Parses a preset name.
    pub fn parse(name: &str) -> Result<Self> {
        Preset::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| Error::Invalid(format!("unknown preset '{name}' (expected keep, hugo, zola, jekyll or astro)")))
    }
}

/// What to export where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// The site folder (created when missing).
    pub site: PathBuf,
    /// How to write posts.
    pub preset: Preset,
    /// Only posts with this status; `None` means every post that is not a draft.
    pub status: Option<Status>,
    /// Only these posts (`None`: all that match the status).
    pub post_ids: Option<Vec<i64>>,
}

/// What exporting one post will do to its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportAction {
    /// The file does not exist yet.
    Create,
    /// The file is as Galley last wrote or read it and will be replaced.
    Update,
    /// The file already holds exactly these bytes.
    Unchanged,
    /// The file changed outside Galley (or was never Galley's): refused unless forced.
    Conflict,
}

impl ExportAction {
    /// The word the CLI prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportAction::Create => "create",
            ExportAction::Update => "update",
            ExportAction::Unchanged => "unchanged",
            ExportAction::Conflict => "conflict",
        }
    }
}

/// One file of an export plan.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportItem {
    /// The post.
    pub post_id: i64,
    /// Its title.
    pub title: String,
    /// Site-relative path, `/`-separated.
    pub path: String,
    /// What will happen.
    pub action: ExportAction,
    /// Why (for conflicts).
    pub reason: Option<String>,
    /// What the preset changed in the post (keys, date, template syntax, images).
    pub changes: Vec<PostChange>,
    #[serde(skip)]
    contents: String,
    #[serde(skip)]
    hash: String,
    #[serde(skip)]
    text_hash: String,
    #[serde(skip)]
    disk_hash: Option<String>,
}

impl ExportItem {
    /// The exact text that will be written.
    pub fn contents(&self) -> &str {
        &self.contents
    }
}

/// A post that cannot be exported, and why (malformed front matter for a converting preset, a
/// path that would leave the site folder or pass through a symlink, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ExportError {
    /// The post.
    pub post_id: i64,
    /// Its title.
    pub title: String,
    /// The path, when one was computed.
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A dry run of an export: one item per post, nothing written yet. Show it, then [`execute`] it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportPlan {
    /// The site folder (absolute; canonical when it exists).
    pub site: PathBuf,
    /// The preset.
    pub preset: Preset,
    /// One entry per post, in post order.
    pub items: Vec<ExportItem>,
    /// Posts that cannot be exported.
    pub errors: Vec<ExportError>,
    /// The posts' files (images, bundle resources), written before the posts.
    pub assets: Vec<AssetExportItem>,
}

impl ExportPlan {
    /// How many asset files have this action.
    pub fn count_assets(&self, action: ExportAction) -> usize {
        self.assets.iter().filter(|a| a.action == action).count()
    }

    /// How many items have this action.
    pub fn count(&self, action: ExportAction) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }
}

/// A file that was not written, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Refused {
    /// Site-relative path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// What an export did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct ExportReport {
    /// The site folder.
    pub site: PathBuf,
    /// Files created.
    pub created: Vec<String>,
    /// Files replaced.
    pub updated: Vec<String>,
    /// Files that already held the right bytes.
    pub unchanged: Vec<String>,
    /// Files left alone because they changed outside Galley.
    pub conflicts: Vec<Refused>,
    /// Posts that could not be exported (including write failures).
    pub errors: Vec<ExportError>,
    /// The posts' files written (created or replaced).
    pub assets_written: Vec<String>,
    /// The posts' files that already held the right bytes.
    pub assets_unchanged: Vec<String>,
}

impl ExportReport {
    /// True when every planned file is now in place.
    pub fn is_complete(&self) -> bool {
        self.conflicts.is_empty() && self.errors.is_empty()
    }
}

/// A post rendered for a preset: where it goes and what it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Site-relative path (validated).
    pub path: String,
    /// The whole file text.
    pub text: String,
}

/// The slug of a file name: the bundle folder for `index.md`, without a Jekyll date prefix.
fn path_slug(source: &str) -> String {
    let mut parts = source.rsplit('/');
    let file = parts.next().unwrap_or(source);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let stem = if stem == "index" { parts.next().unwrap_or(stem) } else { stem };
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
        && bytes[10] == b'-';
    if dated {
        stem[11..].to_string()
    } else {
        stem.to_string()
    }
}

/// The slug a post is exported under (explicit `slug`, else the title, else its file name).
pub fn post_slug(post: &SitePost, fields: &Fields) -> String {
    let from_path = post.source_path.as_deref().map(path_slug).unwrap_or_default();
    slug::slug_for(&[&fields.slug, &fields.title, &from_path], post.id)
}

/// The site-relative path of a post for a preset, from an already sanitized slug.
/// Jekyll's file name starts with the post's `date` (`YYYY-MM-DD`, explicit or inferred).
fn preset_path(preset: Preset, post: &SitePost, slug: &str, date: &str) -> Result<String, String> {
    Ok(match preset {
        Preset::Keep => match &post.source_path {
            Some(source) => {
                slug::check_relative_path(source).map(|_| ())?;
                source.clone()
            }
            None => format!("{slug}.md"),
        },
        Preset::Hugo => format!("content/posts/{slug}.md"),
        Preset::Zola => format!("content/blog/{slug}.md"),
        Preset::Jekyll => format!("_posts/{}-{slug}.md", date.get(..10).unwrap_or(date)),
        Preset::Astro => format!("src/content/blog/{slug}.md"),
    })
}

fn set(block: &mut String, key: &str, value: FieldValue) {
    *block = front_matter::set_value(block, key, &value);
}

fn wants_draft(post: &SitePost) -> bool {
    post.status == Status::Draft
}

/// Entries of any block flattened for YAML targets: `[taxonomies]` lists and `[extra]` keys come
/// up to the top level (unless already there).
fn flatten_for_yaml(parsed: &Parsed) -> Vec<(String, Json)> {
    let mut entries: Vec<(String, Json)> = Vec::new();
    let mut lifted: Vec<(String, Json)> = Vec::new();
    for (key, value) in &parsed.entries {
        match (key.as_str(), value) {
            ("taxonomies" | "extra", Json::Object(map)) => {
                lifted.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => entries.push((key.clone(), value.clone())),
        }
    }
    for (key, value) in lifted {
        if !entries.iter().any(|(k, _)| *k == key) {
            entries.push((key, value));
        }
    }
    entries
}

/// A YAML block to edit for YAML-only presets: the post's own block when it is YAML (so unknown
/// keys, comments and order survive), else a new one built from its entries.
fn yaml_block(post: &SitePost, parsed: &Parsed) -> String {
    match parsed.format {
        Some(Format::Yaml) | None => post.front_matter.clone(),
        Some(Format::Toml) => front_matter::build(Format::Yaml, &flatten_for_yaml(parsed)),
    }
}

fn normalize_date_field(block: &mut String, parsed: &Parsed, key: &str) {
    if let Some(Json::String(date)) = parsed.get(key) {
        if let Some(normal) = front_matter::normalize_date(date) {
            if &normal != date {
                set(block, key, FieldValue::Date(normal));
            }
        }
    }
}

fn hugo_block(post: &SitePost, parsed: &Parsed, fields: &Fields) -> String {
    let mut block = post.front_matter.clone();
    normalize_date_field(&mut block, parsed, "date");
    if parsed.get("description").is_none() && !fields.summary.is_empty() {
        set(&mut block, "description", FieldValue::Text(fields.summary.clone()));
    }
    if parsed.get("categories").is_none() && !fields.category.is_empty() {
        set(&mut block, "categories", FieldValue::List(vec![fields.category.clone()]));
    }
    if parsed.get("lastmod").is_none() {
        if let Some(updated) = front_matter::normalize_date(&fields.updated) {
            set(&mut block, "lastmod", FieldValue::Date(updated));
        }
    }
    if fields.draft != wants_draft(post) {
        set(&mut block, "draft", FieldValue::Bool(wants_draft(post)));
    }
    block
}

fn jekyll_block(post: &SitePost, parsed: &Parsed, fields: &Fields) -> String {
    let mut block = yaml_block(post, parsed);
    normalize_date_field(&mut block, parsed, "date");
    if parsed.get("excerpt").is_none() && !fields.summary.is_empty() {
        set(&mut block, "excerpt", FieldValue::Text(fields.summary.clone()));
    }
    if wants_draft(post) {
        set(&mut block, "published", FieldValue::Bool(false));
    } else if fields.draft {
        block = front_matter::remove_field(&block, "draft");
        if parsed.get("published").is_some() {
            set(&mut block, "published", FieldValue::Bool(true));
        }
    }
    block
}

fn astro_block(post: &SitePost, parsed: &Parsed, fields: &Fields) -> String {
    let mut block = yaml_block(post, parsed);
    if parsed.get("pubDate").is_none() {
        if let Some(date) = front_matter::normalize_date(&fields.date) {
            set(&mut block, "pubDate", FieldValue::Date(date));
        }
    }
    if parsed.get("description").is_none() && !fields.summary.is_empty() {
        set(&mut block, "description", FieldValue::Text(fields.summary.clone()));
    }
    if parsed.get("updatedDate").is_none() {
        if let Some(updated) = front_matter::normalize_date(&fields.updated) {
            set(&mut block, "updatedDate", FieldValue::Date(updated));
        }
    }
    if fields.draft != wants_draft(post) {
        set(&mut block, "draft", FieldValue::Bool(wants_draft(post)));
    }
    block
}

/// The top-level keys Zola documents for a page's front matter.
pub const ZOLA_PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "slug",
    "path",
    "aliases",
    "authors",
    "in_search_index",
    "template",
    "taxonomies",
    "extra",
];

fn zola_block(post: &SitePost, parsed: &Parsed, fields: &Fields) -> String {
    let strings = |values: &[String]| Json::Array(values.iter().cloned().map(Json::String).collect());
    let mut top: Vec<(String, Json)> = Vec::new();
    let mut consumed: BTreeSet<&str> = BTreeSet::new();
    let push = |top: &mut Vec<(String, Json)>, key: &str, value: Json| top.push((key.to_string(), value));
    if !fields.title.is_empty() {
        push(&mut top, "title", Json::String(fields.title.clone()));
        consumed.insert("title");
    }
    let description_key =
        ["description", "summary", "excerpt"].into_iter().find(|k| parsed.get(k).is_some_and(|v| !front_matter::text_of(v).is_empty()));
    if let Some(key) = description_key {
        push(&mut top, "description", Json::String(fields.summary.clone()));
        consumed.insert(key);
    }
    for (target, sources) in [("date", &["date", "pubDate", "publishDate"][..]), ("updated", &["updated", "lastmod", "updatedDate"][..])] {
        let found = sources.iter().find_map(|k| parsed.get(k).map(|v| (*k, front_matter::text_of(v))));
        if let Some((key, value)) = found {
            if let Some(date) = front_matter::normalize_date(&value) {
                push(&mut top, target, Json::String(date));
                consumed.insert(key);
            }
        }
    }
    if wants_draft(post) {
        push(&mut top, "draft", Json::Bool(true));
    }
    consumed.insert("draft");
    for key in ["slug", "path", "template"] {
        if let Some(Json::String(value)) = parsed.get(key) {
            push(&mut top, key, Json::String(value.clone()));
            consumed.insert(key);
        }
    }
    if let Some(Json::Number(weight)) = parsed.get("weight") {
        if weight.is_i64() {
            push(&mut top, "weight", Json::Number(weight.clone()));
            consumed.insert("weight");
        }
    }
    if !fields.aliases.is_empty() {
        push(&mut top, "aliases", strings(&fields.aliases));
        consumed.insert("aliases");
    }
    if let Some(key) = ["authors", "author", "by"].into_iter().find(|k| parsed.get(k).is_some_and(|v| !front_matter::list_of(v).is_empty()))
    {
        push(&mut top, "authors", strings(&fields.authors));
        consumed.insert(key);
    }
    if let Some(Json::Bool(b)) = parsed.get("in_search_index") {
        push(&mut top, "in_search_index", Json::Bool(*b));
        consumed.insert("in_search_index");
    }
    let mut taxonomies = match parsed.get("taxonomies") {
        Some(Json::Object(map)) => map.clone(),
        _ => serde_json::Map::new(),
    };
    consumed.insert("taxonomies");
    if !fields.tags.is_empty() {
        taxonomies.insert("tags".into(), strings(&fields.tags));
    }
    if !fields.categories.is_empty() {
        taxonomies.insert("categories".into(), strings(&fields.categories));
    }
    consumed.extend(["tags", "categories", "category"]);
    let mut extra = match parsed.get("extra") {
        Some(Json::Object(map)) => map.clone(),
        _ => serde_json::Map::new(),
    };
    consumed.insert("extra");
    for (key, value) in &parsed.entries {
        if !consumed.contains(key.as_str()) && !extra.contains_key(key) {
            extra.insert(key.clone(), value.clone());
        }
    }
    if !taxonomies.is_empty() {
        top.push(("taxonomies".into(), Json::Object(taxonomies)));
    }
    if !extra.is_empty() {
        top.push(("extra".into(), Json::Object(extra)));
    }
    front_matter::build(Format::Toml, &top)
}

/// Renders one post for a preset: its site-relative path and file text. `keep` returns the text
/// byte for byte; converting presets edit a copy of the front matter (or build a new one) and
/// leave the body as written (but for template syntax of another generator, which is protected).
/// Pure: no IO. A post without a date that none can be inferred for is refused.
pub fn render_post(post: &SitePost, preset: Preset) -> Result<Rendered, String> {
    render_post_with(post, preset, &RenderContext::default()).map(|(rendered, _)| rendered)
}

/// [`render_post`] knowing where posts come from and what to do without a date; also says what
/// the preset changed (the dry run's per-post report).
pub fn render_post_with(post: &SitePost, preset: Preset, ctx: &RenderContext) -> Result<(Rendered, Vec<PostChange>), String> {
    let parsed = front_matter::parse(&post.front_matter);
    let (parsed, fields) = match parsed {
        Ok(parsed) => {
            let fields = front_matter::fields_of(&parsed);
            (parsed, fields)
        }
        Err(_) if preset == Preset::Keep => (Parsed::default(), front_matter::parse_fields(&post.front_matter)),
        Err(error_at) => {
            return Err(format!("{error_at}; fix the front matter or export with the keep preset"));
        }
    };
    if preset == Preset::Keep {
        let slug = post_slug(post, &fields);
        let path = preset_path(preset, post, &slug, "")?;
        return Ok((Rendered { path, text: post.text() }, Vec::new()));
    }
    let (date, date_change) = match export_changes::export_date(post, &parsed, &fields, ctx) {
        Ok(dated) => dated,
        // Zola builds pages without a date (only Jekyll's file name and Hugo's and Astro's `date` need one).
        Err(_) if preset == Preset::Zola => (String::new(), None),
        Err(message) => return Err(message),
    };
    let slug = post_slug(post, &fields);
    let path = preset_path(preset, post, &slug, &date)?;
    let mut block = match preset {
        Preset::Keep => post.front_matter.clone(),
        Preset::Hugo => hugo_block(post, &parsed, &fields),
        Preset::Zola => zola_block(post, &parsed, &fields),
        Preset::Jekyll => jekyll_block(post, &parsed, &fields),
        Preset::Astro => astro_block(post, &parsed, &fields),
    };
    let mut changes = Vec::new();
    if let Some(change) = date_change {
        block = export_changes::write_date(&block, preset, &date);
        changes.push(change);
    }
    let (body, protection) = export_changes::protect_body(post, preset, &mut block, ctx);
    changes.splice(
        0..0,
        export_changes::key_changes(&parsed, &block, &["date", "pubDate", "render_with_liquid", "excerpt_separator", "draft", "published"]),
    );
    changes.extend(protection);
    let separator = if !block.is_empty() && post.front_matter.is_empty() && !body.starts_with(['\n', '\r']) { "\n" } else { "" };
    Ok((Rendered { path, text: format!("{block}{separator}{body}") }, changes))
}

/// What is at a site-relative path now.
enum Disk {
    Missing,
    File(Vec<u8>),
}

/// Looks at a path inside the site without following any symlink: every folder on the way must be
/// a real folder, the file a regular file (read with [`site::read_file`] up to `limit` bytes).
fn inspect(root: &Path, path: &str, limit: u64) -> Result<Disk, String> {
    let components = slug::check_relative_path(path)?;
    let full = components.iter().fold(root.to_path_buf(), |full, component| full.join(component));
    match site::look(root, components) {
        Found::Missing => Ok(Disk::Missing),
        Found::File => {
            let bytes = site::read_file(root, path, limit).map_err(|reason| format!("{}: {reason}", full.display()))?;
            Ok(Disk::File(bytes))
        }
        Found::Unreadable(at, e) => Err(format!("{}: {e}", at.display())),
        Found::Link(at) => Err(format!("{} is a symbolic link; Galley does not follow links inside the site folder", at.display())),
        Found::NotAFolder(at) => Err(format!("{} is not a folder", at.display())),
        Found::Special | Found::Dir => Err(format!("{} is not a regular file", full.display())),
    }
}

/// The hash of what is at a site-relative path now (`None`: nothing); files over `limit` bytes
/// are refused.
pub(crate) fn disk_hash(root: &Path, path: &str, limit: u64) -> Result<Option<String>, String> {
    Ok(match inspect(root, path, limit)? {
        Disk::Missing => None,
        Disk::File(bytes) => Some(content_hash(&bytes)),
    })
}

/// Plans an export (the dry run): renders every selected post, computes its path inside the site
/// folder and compares with what is on disk and in the library's records. Writes nothing.
/// What an export plan needs from the library, read in one go (so the app can release the
/// library before the plan reads the site folder).
#[derive(Debug, Clone)]
pub struct PlanInputs {
    /// The site folder, canonical.
    pub root: PathBuf,
    records: HashMap<String, crate::library::SiteFile>,
    selection: crate::library::ExportSelection,
    context: RenderContext,
    files: HashMap<i64, Vec<PostFile>>,
    asset_records: HashMap<(String, i64), SiteAsset>,
}

impl PlanInputs {
    /// Reads the posts to export and the site's file records from the library.
    pub fn read(library: &Library, options: &ExportOptions) -> Result<PlanInputs> {
        let root = site::planned_root(&options.site)?;
        let records = library.site_files(&root.to_string_lossy())?;
        // Samples never leave the library; unreadable statuses are reported (library/site.rs).
        let selection = library.export_posts(options.status)?;
        let context = RenderContext::from_import_roots(&library.import_roots()?, Undated::Refuse);
        let mut files = HashMap::new();
        for post in &selection.posts {
            if options.post_ids.as_ref().is_none_or(|ids| ids.contains(&post.id)) {
                let post_files = library.post_files(post.id)?;
                if !post_files.is_empty() {
                    files.insert(post.id, post_files);
                }
            }
        }
        let asset_records = library.site_assets(&root.to_string_lossy())?;
        Ok(PlanInputs { root, records, selection, context, files, asset_records })
    }

    /// What to do with posts without a date that none can be inferred for (refused by default).
    pub fn undated(mut self, undated: Undated) -> PlanInputs {
        self.context.undated = undated;
        self
    }
}

/// Plans an export (the dry run): renders every selected post, computes its path inside the site
/// folder and compares with what is on disk and in the library's records. Writes nothing.
pub fn plan(library: &Library, options: &ExportOptions) -> Result<ExportPlan> {
    plan_from(PlanInputs::read(library, options)?, options)
}

/// [`plan`] from inputs already read from the library: reads only the site folder.
pub fn plan_from(inputs: PlanInputs, options: &ExportOptions) -> Result<ExportPlan> {
    let PlanInputs { root, records, selection, context, files, asset_records } = inputs;
    let mut posts = selection.posts;
    if options.status.is_none() {
        posts.retain(|p| p.status != Status::Draft);
    }
    if let Some(ids) = &options.post_ids {
        posts.retain(|p| ids.contains(&p.id));
    }
    let mut plan = ExportPlan { site: root.clone(), preset: options.preset, items: Vec::new(), errors: Vec::new(), assets: Vec::new() };
    let mut claimed_assets: HashMap<String, String> = HashMap::new();
    plan.errors.extend(
        selection.unreadable.iter().filter(|p| options.post_ids.as_ref().is_none_or(|ids| ids.contains(&p.id))).map(|p| ExportError {
            post_id: p.id,
            title: p.title.clone(),
            path: None,
            message: p.message(),
        }),
    );
    let mut claimed: HashMap<String, i64> = HashMap::new();
    for post in &posts {
        let (mut rendered, mut changes) = match render_post_with(post, options.preset, &context) {
            Ok(rendered) => rendered,
            Err(message) => {
                plan.errors.push(ExportError { post_id: post.id, title: post.title.clone(), path: None, message });
                continue;
            }
        };
        if let Some(other) = claimed.get(&rendered.path) {
            if options.preset == Preset::Keep {
                plan.errors.push(ExportError {
                    post_id: post.id,
                    title: post.title.clone(),
                    path: Some(rendered.path.clone()),
                    message: format!("post {other} is exported to the same path"),
                });
                continue;
            }
            // Two posts with the same slug: the later one gets its id appended.
            let (stem, ext) = rendered.path.rsplit_once('.').unwrap_or((&rendered.path, "md"));
            rendered.path = format!("{stem}-{}.{ext}", post.id);
        }
        if let Some(post_files) = files.get(&post.id) {
            let names: Vec<(&str, Option<&str>)> = post_files.iter().map(|f| (f.info.name.as_str(), f.source_path.as_deref())).collect();
            let placed = export_assets::place(options.preset, &rendered.path, &rendered.text, &names);
            let planned =
                export_assets::plan_files(&root, post.id, &placed, post_files, &asset_records, &mut claimed_assets, &mut plan.assets);
            if let Err(message) = planned {
                plan.errors.push(ExportError { post_id: post.id, title: post.title.clone(), path: Some(placed.path), message });
                continue;
            }
            if options.preset != Preset::Keep && !placed.files.is_empty() {
                changes.push(PostChange::ImagesMoved { count: placed.files.len() });
            }
            rendered = Rendered { path: placed.path, text: placed.text };
        }
        claimed.insert(rendered.path.clone(), post.id);
        let disk = match disk_hash(&root, &rendered.path, MAX_FILE_BYTES) {
            Ok(disk) => disk,
            Err(message) => {
                plan.errors.push(ExportError { post_id: post.id, title: post.title.clone(), path: Some(rendered.path), message });
                continue;
            }
        };
        let hash = content_hash(rendered.text.as_bytes());
        let record = records.get(&rendered.path);
        let (action, reason, disk_hash) = match disk {
            None => (ExportAction::Create, None, None),
            Some(on_disk) if on_disk == hash => (ExportAction::Unchanged, None, Some(on_disk)),
            Some(on_disk) => match record {
                Some(r) if r.file_hash == on_disk && r.post_id == post.id => (ExportAction::Update, None, Some(on_disk)),
                Some(r) if r.file_hash == on_disk => {
                    (ExportAction::Conflict, Some(format!("the file belongs to post {}", r.post_id)), Some(on_disk))
                }
                Some(_) => {
                    (ExportAction::Conflict, Some("changed outside Galley since Galley last wrote or read it".to_string()), Some(on_disk))
                }
                None => (ExportAction::Conflict, Some("exists and was not written by Galley".to_string()), Some(on_disk)),
            },
        };
        plan.items.push(ExportItem {
            post_id: post.id,
            title: post.title.clone(),
            path: rendered.path,
            action,
            reason,
            changes,
            text_hash: content_hash(post.text().as_bytes()),
            contents: rendered.text,
            hash,
            disk_hash,
        });
    }
    Ok(plan)
}

/// Fsyncs staged files on a few threads at once (the file system batches concurrent syncs into
/// one journal commit, which is what makes exporting hundreds of posts fast).
pub(crate) fn sync_all(staged: &[&Staged]) -> Vec<std::io::Result<()>> {
    let threads = 8.min(staged.len().max(1));
    let chunk = staged.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            staged.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(|s| s.sync()).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|_| vec![Err(std::io::Error::other("sync thread panicked"))])).collect()
    })
}

/// Files staged per batch (bounds the number of open file handles).
const BATCH: usize = 256;

/// Checks the file an item will replace, right now: it must hold what the plan saw there, and
/// what the plan saw must be Galley's (a new file, or the bytes Galley last wrote or read), or
/// already the bytes to write. Otherwise it changed outside Galley: a conflict, unless `force`,
/// where its bytes are returned so that they can be kept before they are overwritten.
fn check_target(root: &Path, item: &ExportItem, force: bool) -> Result<Option<Vec<u8>>> {
    let conflict = |reason: String| Error::Conflict { path: root.join(&item.path), reason };
    let now = match inspect(root, &item.path, MAX_FILE_BYTES).map_err(conflict)? {
        Disk::Missing => return Ok(None),
        Disk::File(bytes) => bytes,
    };
    let hash = content_hash(&now);
    let as_planned = Some(&hash) == item.disk_hash.as_ref();
    if hash == item.hash || (as_planned && item.action != ExportAction::Conflict) {
        Ok(None)
    } else if force {
        Ok(Some(now))
    } else if as_planned {
        Err(conflict(item.reason.clone().unwrap_or_else(|| "changed outside Galley".into())))
    } else {
        Err(conflict("changed outside Galley during the export; nothing was overwritten (export again to see it)".into()))
    }
}

/// Writes an item's bytes to a temporary file next to its target (after checking the target).
fn stage_item(root: &Path, item: &ExportItem, force: bool) -> Result<Staged> {
    check_target(root, item, force)?;
    let (dir, name) = site::ensure_parents(root, &item.path)?;
    Staged::write(&dir, name, item.contents.as_bytes())
}

/// Why the export stopped (a write failed for lack of space, permission, ...), for every file of
/// the batch that was not written.
pub(crate) fn stopped_message(path: &str, error: &Error) -> String {
    let cause = match error {
        Error::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    };
    format!(
        "the export stopped: {path} could not be written ({cause}); no file of this batch was changed and no temporary file was left. \
         Free some disk space or make the site folder writable, then export again"
    )
}

/// What an export writes into the library while it writes the site: the file records and the
/// revisions. The library itself is one; the app passes a ledger that locks its shared library
/// for each step only, so the file IO in between never holds the lock.
pub trait ExportLedger {
    /// The site's file records (path → record).
    fn site_files(&mut self, root: &str) -> Result<HashMap<String, crate::library::SiteFile>>;
    /// Records files as exported (and an `export` revision for each one written).
    fn record_export(&mut self, root: &str, writes: &[ExportWrite<'_>]) -> Result<()>;
    /// Keeps the text a forced export is about to overwrite as a revision of the post.
    fn keep_overwritten_text(&mut self, post_id: i64, text: &str, reason: &str) -> Result<()>;
    /// Puts a file's record back as it was (a file that was recorded but not written).
    fn restore_site_file(&mut self, root: &str, path: &str, previous: Option<&crate::library::SiteFile>, preset: &str) -> Result<()>;
    /// Records the posts' files as exported (path + hash per post).
    fn record_asset_export(&mut self, root: &str, writes: &[AssetExportWrite<'_>]) -> Result<()>;
}

impl ExportLedger for Library {
    fn site_files(&mut self, root: &str) -> Result<HashMap<String, crate::library::SiteFile>> {
        Library::site_files(self, root)
    }
    fn record_export(&mut self, root: &str, writes: &[ExportWrite<'_>]) -> Result<()> {
        Library::record_export(self, root, writes)
    }
    fn keep_overwritten_text(&mut self, post_id: i64, text: &str, reason: &str) -> Result<()> {
        Library::keep_overwritten_text(self, post_id, text, reason).map(|_| ())
    }
    fn restore_site_file(&mut self, root: &str, path: &str, previous: Option<&crate::library::SiteFile>, preset: &str) -> Result<()> {
        Library::restore_site_file(self, root, path, previous, preset)
    }
    fn record_asset_export(&mut self, root: &str, writes: &[AssetExportWrite<'_>]) -> Result<()> {
        Library::record_asset_export(self, root, writes)
    }
}

/// Carries out a plan: writes created and updated files (and conflicts when `force`), checking
/// each file again right before its rename so that a change made after the dry run, even during
/// the export, is never overwritten (with `force` it is, and the overwritten text is kept as a
/// revision of the post). Each file is written atomically (temporary file in the same folder,
/// fsync, rename, folder fsync; new folders are made durable in their parent). After each batch
/// of files, records path + hash per post (and an `export` revision per written post) in one
/// transaction. If a file of a batch cannot be written (disk full, read-only folder), no file of
/// that batch is renamed, the temporary files are removed and the export stops, with the reason in
/// [`ExportReport::errors`]. `progress(done, total)` is called as files are done.
pub fn execute(
    library: &mut dyn ExportLedger,
    plan: &ExportPlan,
    force: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport> {
    let root = &plan.site;
    std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let root_key = plan.site.to_string_lossy().into_owned();
    let mut report = ExportReport { site: plan.site.clone(), errors: plan.errors.clone(), ..ExportReport::default() };
    let mut records: Vec<(&ExportItem, bool)> = Vec::new();
    let mut dirs = BTreeSet::new();
    let total = plan.items.len();
    let mut done = 0;
    let fail = |report: &mut ExportReport, item: &ExportItem, error: Error| match error {
        Error::Conflict { reason, .. } => report.conflicts.push(Refused { path: item.path.clone(), reason }),
        error => report.errors.push(ExportError {
            post_id: item.post_id,
            title: item.title.clone(),
            path: Some(item.path.clone()),
            message: error.to_string(),
        }),
    };
    let not_written = |item: &ExportItem, message: &str| ExportError {
        post_id: item.post_id,
        title: item.title.clone(),
        path: Some(item.path.clone()),
        message: message.to_string(),
    };
    // The posts' files first: no exported link points at a file that is not there yet.
    if !export_assets::execute(library, &root, &root_key, &plan.assets, force, &mut report)? {
        progress(total, total);
        return Ok(report);
    }
    let mut batches = plan.items.chunks(BATCH);
    while let Some(batch) = batches.next() {
        let mut staged: Vec<(&ExportItem, Staged)> = Vec::new();
        let mut stopped: Option<(&ExportItem, Error)> = None;
        let mut unwritten: Vec<&ExportItem> = Vec::new();
        for item in batch {
            match item.action {
                ExportAction::Unchanged => {
                    report.unchanged.push(item.path.clone());
                    records.push((item, false));
                    done += 1;
                }
                ExportAction::Conflict if !force => {
                    report.conflicts.push(Refused {
                        path: item.path.clone(),
                        reason: item.reason.clone().unwrap_or_else(|| "changed outside Galley".into()),
                    });
                    done += 1;
                }
                _ if stopped.is_some() => unwritten.push(item),
                _ => match stage_item(&root, item, force) {
                    Ok(file) => {
                        dirs.insert(file.target().parent().map(Path::to_path_buf).unwrap_or_else(|| root.clone()));
                        staged.push((item, file));
                    }
                    Err(error @ Error::Io { .. }) => stopped = Some((item, error)),
                    Err(error) => {
                        fail(&mut report, item, error);
                        done += 1;
                    }
                },
            }
        }
        if stopped.is_none() {
            let synced = sync_all(&staged.iter().map(|(_, s)| s).collect::<Vec<_>>());
            if let Some((index, error)) = synced.into_iter().enumerate().find_map(|(i, r)| r.err().map(|e| (i, e))) {
                let (item, file) = &staged[index];
                stopped = Some((item, Error::io(file.target(), error)));
            }
        }
        if let Some((failed, error)) = stopped {
            // Nothing of this batch is renamed: dropping the staged files removes them.
            let message = stopped_message(&failed.path, &error);
            let staged_items: Vec<&ExportItem> = staged.iter().map(|(item, _)| *item).filter(|item| !std::ptr::eq(*item, failed)).collect();
            drop(staged);
            let later = batches.flatten().filter(|i| i.action != ExportAction::Unchanged && (force || i.action != ExportAction::Conflict));
            for item in std::iter::once(failed).chain(staged_items).chain(unwritten).chain(later) {
                report.errors.push(not_written(item, &message));
            }
            progress(total, total);
            return Ok(report);
        }
        // Record the files as written before renaming them: a Galley app watching this folder
        // (debounced by `watch::DEBOUNCE`) then finds each one already known the moment it
        // appears, instead of importing it as a new post. A file that is not renamed after all
        // gets its earlier record back.
        let previous = if staged.is_empty() { HashMap::new() } else { library.site_files(&root_key)? };
        let pending: Vec<(&ExportItem, bool)> = staged.iter().map(|(item, _)| (*item, false)).collect();
        record_batch(library, &root_key, plan.preset.as_str(), &pending)?;
        for (item, file) in staged {
            // The last look before the rename: a file edited since it was staged is not overwritten
            // (or, forced, its text is kept as a revision of the post first).
            let result = check_target(&root, item, force).and_then(|overwritten| {
                if let Some(bytes) = overwritten {
                    let text = String::from_utf8_lossy(&bytes);
                    library.keep_overwritten_text(
                        item.post_id,
                        &text,
                        &format!("disk version of {} (overwritten by a forced export)", item.path),
                    )?;
                }
                file.commit()
            });
            match result {
                Ok(()) => {
                    if item.disk_hash.is_none() {
                        report.created.push(item.path.clone());
                    } else {
                        report.updated.push(item.path.clone());
                    }
                    records.push((item, true));
                }
                Err(error) => {
                    library.restore_site_file(&root_key, &item.path, previous.get(&item.path), plan.preset.as_str())?;
                    fail(&mut report, item, error);
                }
            }
            done += 1;
            progress(done, total);
        }
        // The batch's revisions and the unchanged files' records.
        for dir in std::mem::take(&mut dirs) {
            site::sync_folder(&dir);
        }
        record_batch(library, &root_key, plan.preset.as_str(), &std::mem::take(&mut records))?;
        progress(done, total);
    }
    Ok(report)
}

/// Records path + hash per post (and an `export` revision per written post) of one batch, in one
/// transaction.
fn record_batch(library: &mut dyn ExportLedger, root_key: &str, preset: &str, records: &[(&ExportItem, bool)]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let writes: Vec<ExportWrite> = records
        .iter()
        .map(|(item, written)| ExportWrite {
            path: &item.path,
            post_id: item.post_id,
            file_hash: &item.hash,
            text_hash: &item.text_hash,
            preset,
            written: *written,
        })
        .collect();
    library.record_export(root_key, &writes)
}

/// Plans and executes an export in one call.
pub fn export_site(library: &mut Library, options: &ExportOptions, force: bool) -> Result<ExportReport> {
    let plan = plan(library, options)?;
    execute(library, &plan, force, &mut |_, _| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(front_matter: &str, body: &str) -> SitePost {
        SitePost {
            id: 7,
            status: Status::Published,
            title: String::new(),
            front_matter: front_matter.into(),
            body: body.into(),
            source_path: None,
            created_at: "2024-03-04T00:00:00Z".into(),
        }
    }

    #[test]
    fn path_slugs() {
        assert_eq!(path_slug("content/posts/my-post/index.md"), "my-post");
        assert_eq!(path_slug("_posts/2019-11-08-go-turns-10.md"), "go-turns-10");
        assert_eq!(path_slug("10years.md"), "10years");
    }

    #[test]
    fn presets_map_fields_and_names() {
        let p = post(
            "---\ntitle: Go Turns 10\ndate: 2019-1-8\nsummary: Happy birthday\ncategory: Blog\ntags: [go]\nby:\n- Russ\n---\n",
            "\nBody\n",
        );
        let hugo = render_post(&p, Preset::Hugo).unwrap();
        assert_eq!(hugo.path, "content/posts/go-turns-10.md");
        assert!(hugo.text.contains("date: 2019-01-08\n") && hugo.text.contains("description: Happy birthday\n"), "{}", hugo.text);
        assert!(hugo.text.contains("categories: [Blog]\n") && hugo.text.ends_with("---\n\nBody\n"));
        let jekyll = render_post(&p, Preset::Jekyll).unwrap();
        assert_eq!(jekyll.path, "_posts/2019-01-08-go-turns-10.md");
        assert!(jekyll.text.contains("excerpt: Happy birthday\n"));
        let astro = render_post(&p, Preset::Astro).unwrap();
        assert_eq!(astro.path, "src/content/blog/go-turns-10.md");
        assert!(astro.text.contains("pubDate: 2019-01-08\n") && astro.text.contains("description: Happy birthday\n"));
        let zola = render_post(&p, Preset::Zola).unwrap();
        assert_eq!(zola.path, "content/blog/go-turns-10.md");
        assert!(
            zola.text
                .starts_with("+++\ntitle = \"Go Turns 10\"\ndescription = \"Happy birthday\"\ndate = 2019-01-08\nauthors = [\"Russ\"]\n"),
            "{}",
            zola.text
        );
        assert!(zola.text.contains("\n[taxonomies]\ncategories = [\"Blog\"]\ntags = [\"go\"]\n"), "{}", zola.text);
        let keep = render_post(&p, Preset::Keep).unwrap();
        assert_eq!(keep.text, p.text());
        assert_eq!(keep.path, "go-turns-10.md");
    }

    #[test]
    fn keep_refuses_escaping_source_paths() {
        let mut p = post("---\ntitle: x\n---\n", "");
        p.source_path = Some("../outside.md".into());
        assert!(render_post(&p, Preset::Keep).is_err());
        p.source_path = Some("/etc/passwd".into());
        assert!(render_post(&p, Preset::Keep).is_err());
    }
}
