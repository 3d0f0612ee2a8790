//! The app's command line: `--library FILE`, `--with-samples`, `--new-draft` and Markdown files to
//! open (`galley-app FILE.md…`, as the desktop entry passes them). Anything else is left alone: a
//! desktop app is started with arguments of its launcher's (a WebDriver, the desktop, GTK).
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What the command line asks of the app.
#[derive(Debug, Default, PartialEq)]
pub struct AppArgs {
    /// `--library FILE` (or `--library=FILE`): the library to open.
    pub library: Option<PathBuf>,
    /// `--with-samples`: a library created now gets Galley's sample posts (what the end-to-end
    /// tests ask for).
    pub with_samples: bool,
    /// `--new-draft`: start a new draft (the desktop entry's "New draft" action).
    pub new_draft: bool,
    /// `--menu-item ID`: in a second launch, activates that item of the running window's menu (how
    /// the end-to-end tests reach the native menu, which WebDriver cannot click).
    pub menu_item: Option<String>,
    /// Files to open: arguments with a Markdown name, or naming something that exists (which the
    /// app then refuses in words); other words are a launcher's and are left alone.
    pub files: Vec<PathBuf>,
}

impl AppArgs {
    /// The app's own arguments.
    pub fn from_env() -> Result<Self, lexopt::Error> {
        Self::parse(std::env::args_os().skip(1))
    }

    /// Parses arguments (without the program's name). Paths need not be UTF-8; only `--library`
    /// without a file is an error.
    pub fn parse(args: impl IntoIterator<Item = impl Into<OsString>>) -> Result<Self, lexopt::Error> {
        use lexopt::prelude::ValueExt;
        use lexopt::Arg::{Long, Value};
        let mut parsed = AppArgs::default();
        let mut parser = lexopt::Parser::from_args(args);
        while let Some(arg) = parser.next()? {
            match arg {
                Long("library") => parsed.library = Some(parser.value()?.into()),
                Long("with-samples") => parsed.with_samples = true,
                Long("new-draft") => parsed.new_draft = true,
                Long("menu-item") => parsed.menu_item = Some(parser.value()?.string()?),
                // Someone else's option: its attached value (`--name=value`) goes with it.
                Long(_) => {
                    let _ = parser.optional_value();
                }
                Value(value) => {
                    let path = PathBuf::from(value);
                    let markdown = path.file_name().is_some_and(|name| galley::site::is_markdown(&name.to_string_lossy()));
                    if markdown || path.exists() {
                        parsed.files.push(path);
                    }
                }
                _ => {}
            }
        }
        Ok(parsed)
    }

    /// The library the app opens: `--library`, else `$GALLEY_LIBRARY`, else the default in the
    /// OS data directory.
    pub fn library_path(&self) -> galley::Result<PathBuf> {
        if let Some(path) = &self.library {
            return Ok(path.clone());
        }
        if let Some(path) = std::env::var_os("GALLEY_LIBRARY").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(path));
        }
        galley::library::default_library_path()
    }

    /// Whether a library created at start gets Galley's sample posts: only on the very first start
    /// on the default library, or when asked with `--with-samples`.
    pub fn wants_samples(&self, path: &Path) -> bool {
        self.with_samples || galley::library::default_library_path().is_ok_and(|default| default == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> AppArgs {
        AppArgs::parse(args).unwrap()
    }

    #[test]
    fn library_and_samples_in_either_spelling_among_other_arguments() {
        let expected = AppArgs { library: Some(PathBuf::from("/tmp/lib.sqlite3")), with_samples: true, ..AppArgs::default() };
        assert_eq!(parse(&["--library", "/tmp/lib.sqlite3", "--with-samples"]), expected);
        assert_eq!(parse(&["--with-samples", "--library=/tmp/lib.sqlite3"]), expected);
        // What launchers add (a WebDriver's flag, macOS's process serial number, GTK options,
        // stray words) changes nothing and is no error.
        let noisy =
            ["--automation", "-psn_0_12345", "--gtk-debug=all", "--class", "x", "--library", "/tmp/lib.sqlite3", "word", "--with-samples"];
        assert_eq!(parse(&noisy), expected);
        assert_eq!(parse(&[]), AppArgs::default());
        // A file name that starts like an option is still the file.
        assert_eq!(parse(&["--library", "-odd.sqlite3"]).library, Some(PathBuf::from("-odd.sqlite3")));
    }

    #[test]
    fn markdown_files_and_new_draft_among_other_arguments() {
        let parsed = parse(&["--automation", "/home/w/posts/go.md", "notes/Draft.MARKDOWN", "word", "--new-draft", "--", "-dash.md"]);
        let files = ["/home/w/posts/go.md", "notes/Draft.MARKDOWN", "-dash.md"].map(PathBuf::from);
        assert_eq!(parsed.files, files);
        assert!(parsed.new_draft);
        // An existing file that is not Markdown is kept, so that the app says why it cannot open it.
        let other = tempfile::NamedTempFile::new().unwrap();
        assert_eq!(parse(&[other.path().to_str().unwrap()]).files, [other.path()]);
        assert!(parse(&["--library", "/tmp/lib.sqlite3"]).files.is_empty());
    }

    #[test]
    fn a_library_path_need_not_be_utf8() {
        use std::os::unix::ffi::OsStringExt;
        let path = OsString::from_vec(b"/tmp/caf\xe9.sqlite3".to_vec());
        let parsed = AppArgs::parse([OsString::from("--library"), path.clone()]).unwrap();
        assert_eq!(parsed.library, Some(PathBuf::from(path)));
    }

    #[test]
    fn library_without_a_file_is_an_error_in_words() {
        let error = AppArgs::parse(["--library"]).unwrap_err();
        assert!(error.to_string().contains("--library"), "{error}");
    }

    #[test]
    fn only_the_default_library_or_with_samples_gets_the_sample_posts() {
        let other = PathBuf::from("/tmp/new.sqlite3");
        assert!(!parse(&["--library", "/tmp/new.sqlite3"]).wants_samples(&other));
        assert!(parse(&["--with-samples"]).wants_samples(&other));
        let default = galley::library::default_library_path().unwrap();
        assert!(parse(&[]).wants_samples(&default));
        assert_eq!(parse(&["--library", "/tmp/new.sqlite3"]).library_path().unwrap(), other);
    }
}
