//! What a site folder's own configuration says about it: which generator builds it, the base
//! URL it is published at (Hugo `baseURL`, Zola `base_url`, Jekyll `url` + `baseurl`, Astro
//! `site`) and its Markdown dialect (Hugo `markup.goldmark`, Zola `[markdown]`, Jekyll `kramdown`,
//! Astro `markdown`). Read with size limits; a missing or broken config simply says nothing.
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::fs::read_regular;
use crate::front_matter;
use crate::render::{Dialect, Flavor, HeadingIds};

/// Largest config file read.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// The static-site generator a folder is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    /// Hugo (`hugo.toml`, `hugo.yaml`, or `config.*` with `baseURL`).
    Hugo,
    /// Zola (`config.toml` with `base_url`).
    Zola,
    /// Jekyll (`_config.yml`).
    Jekyll,
    /// Astro (`astro.config.*`).
    Astro,
}

/// What the site's configuration says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SiteConfig {
    /// The generator, when a config file names it.
    pub generator: Option<Generator>,
    /// The published site's base URL (http or https, ending in `/`).
    pub base_url: Option<String>,
    /// The Markdown dialect the generator publishes with (its defaults, changed by the config's
    /// markup settings); `None` without a generator.
    pub dialect: Option<Dialect>,
}

impl SiteConfig {
    fn new(generator: Generator, base_url: Option<String>, dialect: Dialect) -> Self {
        SiteConfig { generator: Some(generator), base_url, dialect: Some(dialect) }
    }
}

impl Generator {
    /// The dialect flavor of this generator.
    pub fn flavor(self) -> Flavor {
        match self {
            Generator::Hugo => Flavor::Hugo,
            Generator::Zola => Flavor::Zola,
            Generator::Jekyll => Flavor::Jekyll,
            Generator::Astro => Flavor::Astro,
        }
    }
}

/// Reads the configuration of the site at `root`.
pub fn read_site_config(root: &Path) -> SiteConfig {
    let read = |name: &str| read_regular(&root.join(name), MAX_CONFIG_BYTES).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    let hugo = |entries: &[(String, Value)]| {
        SiteConfig::new(Generator::Hugo, base_url(lookup(entries, &["baseurl"]), None), hugo_dialect(entries))
    };
    for name in ["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config/_default/hugo.toml", "config/_default/config.toml"] {
        if let Some(text) = read(name) {
            return hugo(&entries_of(&text, name));
        }
    }
    if let Some(text) = read("zola.toml") {
        let entries = entries_of(&text, "zola.toml");
        return SiteConfig::new(Generator::Zola, base_url(lookup(&entries, &["base_url"]), None), zola_dialect(&entries));
    }
    if let Some(text) = read("config.toml") {
        let entries = entries_of(&text, "config.toml");
        if let Some(url) = lookup(&entries, &["base_url"]) {
            return SiteConfig::new(Generator::Zola, base_url(Some(url), None), zola_dialect(&entries));
        }
        return hugo(&entries);
    }
    for name in ["config.yaml", "config.yml", "config.json"] {
        if let Some(text) = read(name) {
            return hugo(&entries_of(&text, name));
        }
    }
    for name in ["_config.yml", "_config.yaml"] {
        if let Some(text) = read(name) {
            let entries = entries_of(&text, name);
            let url = base_url(lookup(&entries, &["url"]), lookup(&entries, &["baseurl"]));
            return SiteConfig::new(Generator::Jekyll, url, jekyll_dialect(&entries));
        }
    }
    for name in ["astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts"] {
        if let Some(text) = read(name) {
            return SiteConfig::new(Generator::Astro, base_url(astro_site(&text), None), astro_dialect(&text));
        }
    }
    SiteConfig::default()
}

/// The value at `path` (keys compared case-insensitively, as Hugo does) in nested tables.
fn at<'v>(entries: &'v [(String, Value)], path: &[&str]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut value = entries.iter().find(|(key, _)| key.eq_ignore_ascii_case(first)).map(|(_, value)| value)?;
    for key in rest {
        value = value.as_object()?.iter().find(|(name, _)| name.eq_ignore_ascii_case(key)).map(|(_, value)| value)?;
    }
    Some(value)
}

fn flag(entries: &[(String, Value)], path: &[&str]) -> Option<bool> {
    at(entries, path).and_then(Value::as_bool)
}

/// Hugo's `markup.goldmark`: `renderer.unsafe`, `extensions.*` (each a boolean, or for the
/// typographer a table with `disable`), `parser.autoHeadingID(Type)`, `parser.attribute.title`.
fn hugo_dialect(entries: &[(String, Value)]) -> Dialect {
    let mut dialect = Dialect::hugo();
    let goldmark = |path: &[&str]| -> Option<&Value> {
        let full: Vec<&str> = ["markup", "goldmark"].iter().chain(path).copied().collect();
        at(entries, &full)
    };
    let switch = |path: &[&str], default: bool| -> bool {
        match goldmark(path) {
            Some(Value::Bool(on)) => *on,
            Some(Value::Object(table)) => match table.iter().find(|(key, _)| key.eq_ignore_ascii_case("disable")) {
                Some((_, Value::Bool(disable))) => !disable,
                _ => default,
            },
            _ => default,
        }
    };
    dialect.raw_html = switch(&["renderer", "unsafe"], dialect.raw_html);
    dialect.smart_punctuation = switch(&["extensions", "typographer"], dialect.smart_punctuation);
    dialect.linkify = switch(&["extensions", "linkify"], dialect.linkify);
    if let Some(protocol) = goldmark(&["extensions", "linkifyProtocol"]).and_then(Value::as_str) {
        dialect.linkify_https = protocol.eq_ignore_ascii_case("https");
    }
    dialect.tables = switch(&["extensions", "table"], dialect.tables);
    dialect.strikethrough = switch(&["extensions", "strikethrough"], dialect.strikethrough);
    dialect.task_lists = switch(&["extensions", "taskList"], dialect.task_lists);
    dialect.footnotes = switch(&["extensions", "footnote"], dialect.footnotes);
    dialect.definition_lists = switch(&["extensions", "definitionList"], dialect.definition_lists);
    dialect.heading_attributes = switch(&["parser", "attribute", "title"], dialect.heading_attributes);
    dialect.heading_ids = match goldmark(&["parser", "autoHeadingIDType"]).and_then(Value::as_str) {
        Some(kind) if kind.eq_ignore_ascii_case("github-ascii") => HeadingIds::GitHubAscii,
        // Hugo's `blackfriday` style is close to Galley's own (whitespace runs become one `-`).
        Some(kind) if kind.eq_ignore_ascii_case("blackfriday") => HeadingIds::Galley,
        _ => HeadingIds::GitHub,
    };
    if !switch(&["parser", "autoHeadingID"], true) {
        dialect.heading_ids = HeadingIds::None;
    }
    dialect
}

/// Zola's `[markdown]` (`smart_punctuation`, `definition_list`) and `slugify.anchors`
/// (`off` keeps the heading text as it is: Galley then uses its own slug).
fn zola_dialect(entries: &[(String, Value)]) -> Dialect {
    let mut dialect = Dialect::zola();
    if let Some(on) = flag(entries, &["markdown", "smart_punctuation"]) {
        dialect.smart_punctuation = on;
    }
    if let Some(on) = flag(entries, &["markdown", "definition_list"]) {
        dialect.definition_lists = on;
    }
    if at(entries, &["slugify", "anchors"]).and_then(Value::as_str).is_some_and(|mode| mode != "on") {
        dialect.heading_ids = HeadingIds::Galley;
    }
    dialect
}

/// Jekyll's `kramdown` options: `input` (GFM by default in Jekyll; `kramdown` switches to
/// kramdown's own ids), `auto_ids`, `smart_quotes` (straight quotes when every entity is
/// `apos`/`quot`).
fn jekyll_dialect(entries: &[(String, Value)]) -> Dialect {
    let mut dialect = Dialect::jekyll();
    let markdown = at(entries, &["markdown"]).and_then(Value::as_str).unwrap_or("kramdown");
    if !markdown.eq_ignore_ascii_case("kramdown") {
        // CommonMark plug-ins and the like: the plain GFM-ish defaults are the best guess.
        dialect.smart_punctuation = false;
        dialect.definition_lists = false;
    }
    let input = at(entries, &["kramdown", "input"]).and_then(Value::as_str).unwrap_or("GFM");
    if input.eq_ignore_ascii_case("kramdown") {
        dialect.heading_ids = HeadingIds::Kramdown;
        dialect.task_lists = false;
        dialect.strikethrough = false;
    }
    if flag(entries, &["kramdown", "auto_ids"]) == Some(false) {
        dialect.heading_ids = HeadingIds::None;
    }
    if let Some(quotes) = at(entries, &["kramdown", "smart_quotes"]).and_then(Value::as_str) {
        if quotes.split(',').all(|entity| matches!(entity.trim(), "apos" | "quot")) {
            dialect.smart_punctuation = false;
        }
    }
    dialect
}

/// Astro's `markdown: { gfm, smartypants }` (read as text: the module is never run).
fn astro_dialect(text: &str) -> Dialect {
    let mut dialect = Dialect::astro();
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("smartypants:false") {
        dialect.smart_punctuation = false;
    }
    if compact.contains("gfm:false") {
        dialect.linkify = false;
        dialect.tables = false;
        dialect.task_lists = false;
        dialect.strikethrough = false;
        dialect.footnotes = false;
    }
    dialect
}

/// The dialect the preview renders in: `chosen` by hand in the library's settings, else the
/// linked site's (from its config), else Galley's own. Also says where it came from.
pub fn preview_dialect(chosen: Option<Flavor>, site: Option<&Path>) -> (Dialect, DialectSource) {
    if let Some(flavor) = chosen {
        return (Dialect::of(flavor), DialectSource::Chosen);
    }
    match site.and_then(|root| read_site_config(root).dialect) {
        Some(dialect) => (dialect, DialectSource::Site),
        None => (Dialect::galley(), DialectSource::Default),
    }
}

/// Where the preview's dialect comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum DialectSource {
    /// Chosen by hand in the settings.
    Chosen,
    /// Read from the linked site's config.
    Site,
    /// No choice and no recognized site: Galley's own.
    Default,
}

/// Top-level entries of a TOML or YAML config file (none when it does not parse).
fn entries_of(text: &str, name: &str) -> Vec<(String, serde_json::Value)> {
    let delimiter = if name.ends_with(".toml") { "+++" } else { "---" };
    let block = format!("{delimiter}\n{}\n{delimiter}\n", text.trim_end());
    front_matter::parse(&block).map(|parsed| parsed.entries).unwrap_or_default()
}

/// The first of `keys` (compared case-insensitively, as Hugo does) that holds a string.
fn lookup(entries: &[(String, serde_json::Value)], keys: &[&str]) -> Option<String> {
    entries
        .iter()
        .find(|(key, value)| keys.iter().any(|wanted| key.eq_ignore_ascii_case(wanted)) && value.is_string())
        .and_then(|(_, value)| value.as_str().map(str::to_string))
}

/// Astro's `site: "https://…"` in its config module (read as text: the module is never run).
fn astro_site(text: &str) -> Option<String> {
    let at = text.find("site:")?;
    let rest = text[at + "site:".len()..].trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = &rest[1..];
    inner.find(quote).map(|end| inner[..end].to_string())
}

/// An absolute http(s) base URL ending in `/`, from a site URL and an optional path prefix.
fn base_url(url: Option<String>, prefix: Option<String>) -> Option<String> {
    let mut parsed = url::Url::parse(url?.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return None;
    }
    if let Some(prefix) = prefix.filter(|p| !p.trim_matches('/').is_empty()) {
        parsed.set_path(&format!("/{}/", prefix.trim_matches('/')));
    } else if !parsed.path().ends_with('/') {
        let path = format!("{}/", parsed.path());
        parsed.set_path(&path);
    }
    Some(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn each_generator_names_its_base_url() {
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<Generator>, Option<&'a str>);
        let cases: &[Case] = &[
            (
                &[("hugo.toml", "baseURL = 'https://example.org/blog'\ntitle = 'x'\n")],
                Some(Generator::Hugo),
                Some("https://example.org/blog/"),
            ),
            (
                &[("config.toml", "baseurl = \"https://example.org/\"\n[params]\nx = 1\n")],
                Some(Generator::Hugo),
                Some("https://example.org/"),
            ),
            (&[("config.toml", "base_url = \"https://zola.example\"\n[extra]\n")], Some(Generator::Zola), Some("https://zola.example/")),
            (
                &[("_config.yml", "url: https://jekyll.example\nbaseurl: /docs\n")],
                Some(Generator::Jekyll),
                Some("https://jekyll.example/docs/"),
            ),
            (
                &[("astro.config.mjs", "export default defineConfig({\n  site: 'https://astro.example',\n});\n")],
                Some(Generator::Astro),
                Some("https://astro.example/"),
            ),
            (&[("hugo.yaml", "baseURL: javascript:alert(1)\n")], Some(Generator::Hugo), None),
            (&[("hugo.toml", "this is = = not toml")], Some(Generator::Hugo), None),
            (&[], None, None),
        ];
        for (files, generator, url) in cases {
            let dir = site(files);
            let config = read_site_config(dir.path());
            assert_eq!(config.generator, *generator, "{files:?}");
            assert_eq!(config.base_url.as_deref(), *url, "{files:?}");
            assert_eq!(config.dialect.map(|dialect| dialect.flavor), generator.map(Generator::flavor), "{files:?}");
        }
    }

    #[test]
    fn the_preview_dialect_is_chosen_else_the_sites_else_galleys() {
        let dir = site(&[("hugo.toml", "[markup.goldmark.extensions]\ntypographer = false\n")]);
        let (dialect, source) = preview_dialect(None, Some(dir.path()));
        assert_eq!((dialect.flavor, dialect.smart_punctuation, source), (Flavor::Hugo, false, DialectSource::Site));
        assert_eq!(preview_dialect(Some(Flavor::Zola), Some(dir.path())), (Dialect::zola(), DialectSource::Chosen));
        assert_eq!(preview_dialect(None, None), (Dialect::galley(), DialectSource::Default));
        let empty = site(&[]);
        assert_eq!(preview_dialect(None, Some(empty.path())), (Dialect::galley(), DialectSource::Default));
    }

    #[test]
    fn markup_settings_change_the_dialect() {
        let hugo = |files: &[(&str, &str)]| read_site_config(site(files).path()).dialect.unwrap();
        assert_eq!(hugo(&[("hugo.toml", "title = 'x'\n")]), Dialect::hugo());
        let custom = hugo(&[(
            "hugo.toml",
            "[markup.goldmark.renderer]\nunsafe = true\n[markup.goldmark.extensions]\nlinkify = false\n\
             [markup.goldmark.extensions.typographer]\ndisable = true\n[markup.goldmark.parser]\nautoHeadingIDType = 'github-ascii'\n",
        )]);
        assert!(custom.raw_html && !custom.linkify && !custom.smart_punctuation);
        assert!(!hugo(&[("hugo.toml", "[markup.goldmark.extensions]\nlinkifyProtocol = 'http'\n")]).linkify_https);
        assert_eq!(custom.heading_ids, HeadingIds::GitHubAscii);
        let yaml = hugo(&[("hugo.yaml", "markup:\n  goldmark:\n    extensions:\n      typographer: false\n      definitionList: false\n")]);
        assert!(!yaml.smart_punctuation && !yaml.definition_lists && yaml.linkify);
        let json = hugo(&[("config.json", "{\"Markup\": {\"Goldmark\": {\"Parser\": {\"AutoHeadingID\": false}}}}")]);
        assert_eq!(json.heading_ids, HeadingIds::None);

        let zola = read_site_config(
            site(&[("config.toml", "base_url = 'https://z.example'\n[markdown]\nsmart_punctuation = true\n[slugify]\nanchors = 'safe'\n")])
                .path(),
        );
        let zola = zola.dialect.unwrap();
        assert!(zola.smart_punctuation && !zola.linkify && zola.raw_html);
        assert_eq!(zola.heading_ids, HeadingIds::Galley);

        let jekyll = |yaml: &str| read_site_config(site(&[("_config.yml", yaml)]).path()).dialect.unwrap();
        assert_eq!(jekyll("title: x\n"), Dialect::jekyll());
        let kramdown = jekyll("kramdown:\n  input: kramdown\n  smart_quotes: apos,apos,quot,quot\n");
        assert_eq!(kramdown.heading_ids, HeadingIds::Kramdown);
        assert!(!kramdown.smart_punctuation);
        assert_eq!(jekyll("kramdown:\n  auto_ids: false\n").heading_ids, HeadingIds::None);

        let astro = read_site_config(site(&[("astro.config.mjs", "export default { markdown: { smartypants: false } }")]).path());
        let astro = astro.dialect.unwrap();
        assert!(!astro.smart_punctuation && astro.linkify);
    }
}
