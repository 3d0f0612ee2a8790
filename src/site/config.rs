//! What a site folder's own configuration says about it: which generator builds it and the base
//! URL it is published at (Hugo `baseURL`, Zola `base_url`, Jekyll `url` + `baseurl`, Astro
//! `site`). Read with size limits; a missing or broken config simply says nothing.
use std::path::Path;

use serde::Serialize;

use super::fs::read_regular;
use crate::front_matter;

/// Largest config file read.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// The static-site generator a folder is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

/// Reads the configuration of the site at `root`.
pub fn read_site_config(root: &Path) -> SiteConfig {
    let read = |name: &str| read_regular(&root.join(name), MAX_CONFIG_BYTES).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    for name in ["hugo.toml", "hugo.yaml", "hugo.yml", "config/_default/hugo.toml", "config/_default/config.toml"] {
        if let Some(text) = read(name) {
            let entries = entries_of(&text, name);
            return SiteConfig { generator: Some(Generator::Hugo), base_url: base_url(lookup(&entries, &["baseurl"]), None) };
        }
    }
    if let Some(text) = read("config.toml") {
        let entries = entries_of(&text, "config.toml");
        if let Some(url) = lookup(&entries, &["base_url"]) {
            return SiteConfig { generator: Some(Generator::Zola), base_url: base_url(Some(url), None) };
        }
        return SiteConfig { generator: Some(Generator::Hugo), base_url: base_url(lookup(&entries, &["baseurl"]), None) };
    }
    for name in ["config.yaml", "config.yml"] {
        if let Some(text) = read(name) {
            let entries = entries_of(&text, name);
            return SiteConfig { generator: Some(Generator::Hugo), base_url: base_url(lookup(&entries, &["baseurl"]), None) };
        }
    }
    for name in ["_config.yml", "_config.yaml"] {
        if let Some(text) = read(name) {
            let entries = entries_of(&text, name);
            return SiteConfig {
                generator: Some(Generator::Jekyll),
                base_url: base_url(lookup(&entries, &["url"]), lookup(&entries, &["baseurl"])),
            };
        }
    }
    for name in ["astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts"] {
        if let Some(text) = read(name) {
            return SiteConfig { generator: Some(Generator::Astro), base_url: base_url(astro_site(&text), None) };
        }
    }
    SiteConfig::default()
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
        }
    }
}
