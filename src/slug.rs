//! Titles → safe file names: slugs from an allow-list (`[a-z0-9-]`, length cap, no reserved
//! names) and validation of site-relative paths so nothing can escape a site folder.

/// Longest slug Galley writes (in bytes, all ASCII).
pub const MAX_SLUG_LEN: usize = 80;

/// Deepest site-relative path Galley accepts.
const MAX_DEPTH: usize = 16;

/// Names Windows reserves for devices (also with any extension: `con.md` is reserved).
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "conin$", "conout$",
];

/// True for a Windows device name, compared case-insensitively on the part before the first dot.
pub fn is_reserved_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches([' ', '.']);
    WINDOWS_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
}

/// Turns any text into a slug: transliterated to ASCII, lowercase, runs of anything outside
/// `[a-z0-9]` become one `-`, no leading/trailing `-`, at most [`MAX_SLUG_LEN`] bytes (cut at a
/// `-` when possible). Returns `None` when nothing usable is left or the result is a reserved name.
pub fn slugify(text: &str) -> Option<String> {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len().min(MAX_SLUG_LEN + 1));
    let mut pending_dash = false;
    for c in ascii.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
            if slug.len() > MAX_SLUG_LEN {
                break;
            }
        } else {
            pending_dash = true;
        }
    }
    if slug.len() > MAX_SLUG_LEN {
        slug.truncate(MAX_SLUG_LEN);
        if let Some(cut) = slug.rfind('-').filter(|&i| i >= MAX_SLUG_LEN / 2) {
            slug.truncate(cut);
        }
        let trimmed = slug.trim_end_matches('-').len();
        slug.truncate(trimmed);
    }
    (is_safe_slug(&slug)).then_some(slug)
}

/// True when `slug` is already safe to use as a file stem: non-empty, `[a-z0-9-]` only, no
/// leading/trailing `-`, within the length cap, and not a reserved name.
pub fn is_safe_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG_LEN
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !is_reserved_name(slug)
}

/// The slug for a post: the first candidate that slugifies to something usable, else `post-<id>`.
pub fn slug_for(candidates: &[&str], id: i64) -> String {
    candidates.iter().find_map(|candidate| slugify(candidate)).unwrap_or_else(|| format!("post-{id}"))
}

/// Checks one component of a site-relative path (a folder or file name as found in a real site:
/// upper case, `_`, `.` allowed) and says why it is refused.
pub fn check_component(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("empty path component".into());
    }
    if name == "." || name == ".." {
        return Err(format!("'{name}' is not allowed in a path"));
    }
    if name.len() > 255 {
        return Err("path component longer than 255 bytes".into());
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*')) {
        return Err(format!("character {c:?} is not allowed in a file name"));
    }
    if name.ends_with(['.', ' ']) {
        return Err("a file name may not end with '.' or a space".into());
    }
    if is_reserved_name(name) {
        return Err(format!("'{name}' is a reserved device name on Windows"));
    }
    Ok(())
}

/// Validates a site-relative path written with `/` separators: not absolute, no `..`, `.`, empty
/// components, backslashes, drive letters, NUL or control characters, reserved names; limited
/// depth. Returns its components.
pub fn check_relative_path(path: &str) -> Result<Vec<&str>, String> {
    if path.is_empty() {
        return Err("empty path".into());
    }
    if path.starts_with('/') || path.starts_with('\\') {
        return Err(format!("'{path}' is absolute"));
    }
    let components: Vec<&str> = path.split('/').collect();
    if components.len() > MAX_DEPTH {
        return Err(format!("'{path}' is nested more than {MAX_DEPTH} levels deep"));
    }
    for component in &components {
        check_component(component).map_err(|why| format!("'{path}': {why}"))?;
    }
    Ok(components)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_the_allow_list() {
        assert_eq!(slugify("Hello, World!").as_deref(), Some("hello-world"));
        assert_eq!(slugify("  Ünïcödé — straße  ").as_deref(), Some("unicode-strasse"));
        assert_eq!(slugify("../../etc/passwd").as_deref(), Some("etc-passwd"));
        assert_eq!(slugify("a\0b/c\\d").as_deref(), Some("a-b-c-d"));
        assert_eq!(slugify("CON"), None);
        assert_eq!(slugify("com1"), None);
        assert_eq!(slugify("!!!"), None);
        assert_eq!(slugify(""), None);
        let long = slugify(&"word ".repeat(100)).unwrap();
        assert!(long.len() <= MAX_SLUG_LEN && !long.ends_with('-'));
        assert_eq!(slug_for(&["", "nul"], 7), "post-7");
        assert_eq!(slug_for(&["", "Go Turns 10"], 7), "go-turns-10");
    }

    #[test]
    fn relative_paths_cannot_escape() {
        assert!(check_relative_path("content/posts/a.md").is_ok());
        assert!(check_relative_path("_posts/2024-01-01-A_b.md").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../x.md",
            "a/../../x.md",
            "a//b.md",
            "./a.md",
            "C:/x.md",
            "a\\..\\b.md",
            "a/con.md",
            "a/NUL",
            "a\0.md",
            "a/b.",
            "a/\u{7}.md",
        ] {
            assert!(check_relative_path(bad).is_err(), "{bad:?} accepted");
        }
    }
}
