//! The `galley` command line: render, stats, list, search, new, import, export, check, backup and
//! restore over the same library as the app. Output to a closed pipe ends the command quietly.
use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use galley::export::Preset;
use galley::library::{backup, default_library_path, Library, Status};
use galley::stats::Profile;

mod manpage;

#[derive(Parser)]
#[command(name = "galley", version, about = "Galley: write long technical blog posts", after_long_help = manpage::exit_codes_help())]
struct Cli {
    /// The library file (default: the OS data directory; or $GALLEY_LIBRARY).
    #[arg(long, global = true, env = "GALLEY_LIBRARY")]
    library: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the sanitized preview HTML of a Markdown file (or - for stdin).
    Render { file: PathBuf },
    /// Print words, code lines, images and reading time of a Markdown file (or -).
    Stats {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Reading-time profile.
        #[arg(long, value_enum, ignore_case = true, default_value_t = ProfileArg::Galley)]
        profile: ProfileArg,
    },
    /// List the posts in the library.
    List {
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search of the library.
    Search {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a new draft with this title.
    New { title: String },
    /// Check the library file for corruption (prints "ok" when it is sound).
    Check,
    /// Copy the library with SQLite's online backup API: into FILE (a new file), or into the
    /// backups folder beside the library (`<library>.backups/`, the last 5 kept).
    Backup { file: Option<PathBuf> },
    /// Replace the library with a backup FILE (refused when FILE fails the integrity check); the
    /// library it replaces is kept in the backups folder.
    Restore { file: PathBuf },
    /// Import a site folder (Hugo, Zola, Jekyll, Astro, or a folder of Markdown files).
    Import {
        dir: PathBuf,
        /// Only show what would happen.
        #[arg(long)]
        dry_run: bool,
        /// Also update posts that changed both on disk and in Galley (their text stays a revision).
        #[arg(long)]
        force: bool,
    },
    /// Export posts into a site folder (every post that is not a draft unless --status is given).
    Export {
        /// The site folder.
        #[arg(long)]
        to: PathBuf,
        /// How posts are written into the site folder.
        #[arg(long, value_enum, default_value_t = PresetArg::Keep)]
        preset: PresetArg,
        /// Only posts with this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Only list each file as create / update / unchanged / conflict.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite files changed outside Galley.
        #[arg(long)]
        force: bool,
    },
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), or write one page per command into --dir.
    Man {
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// `--status`: the core's [`Status`], spelled as the library stores it.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum StatusArg {
    Draft,
    Ready,
    Published,
}

impl From<StatusArg> for Status {
    fn from(status: StatusArg) -> Self {
        match status {
            StatusArg::Draft => Status::Draft,
            StatusArg::Ready => Status::Ready,
            StatusArg::Published => Status::Published,
        }
    }
}

/// `--preset`: the core's export [`Preset`], by its name.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum PresetArg {
    Keep,
    Hugo,
    Zola,
    Jekyll,
    Astro,
}

impl From<PresetArg> for Preset {
    fn from(preset: PresetArg) -> Self {
        match preset {
            PresetArg::Keep => Preset::Keep,
            PresetArg::Hugo => Preset::Hugo,
            PresetArg::Zola => Preset::Zola,
            PresetArg::Jekyll => Preset::Jekyll,
            PresetArg::Astro => Preset::Astro,
        }
    }
}

/// `--profile`: the core's reading-time [`Profile`], by its name (any case; `default` is galley).
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ProfileArg {
    #[value(alias = "default")]
    Galley,
    Hugo,
    Zola,
    Medium,
}

impl From<ProfileArg> for Profile {
    fn from(profile: ProfileArg) -> Self {
        match profile {
            ProfileArg::Galley => Profile::Galley,
            ProfileArg::Hugo => Profile::Hugo,
            ProfileArg::Zola => Profile::Zola,
            ProfileArg::Medium => Profile::Medium,
        }
    }
}

fn read_input(file: &PathBuf) -> Result<String> {
    let bytes = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        bytes
    } else {
        std::fs::read(file).with_context(|| format!("reading {}", file.display()))?
    };
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{}: not valid UTF-8 (byte {})", file.display(), e.utf8_error().valid_up_to()))
}

fn library_path(path: Option<PathBuf>) -> Result<PathBuf> {
    Ok(match path {
        Some(path) => path,
        None => default_library_path()?,
    })
}

/// Opens the library (the CLI never adds the sample posts: only the app's first start does).
fn open_library(path: Option<PathBuf>) -> Result<Library> {
    Ok(Library::open(&library_path(path)?)?.0)
}

/// Prints to standard output; a closed pipe (`galley list | head`) comes back as an error that
/// `main` turns into a quiet exit.
macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

fn print_posts(posts: &[galley::library::PostSummary], json: bool) -> Result<()> {
    if json {
        out!("{}", serde_json::to_string_pretty(posts)?);
    } else {
        for post in posts {
            out!(
                "{:>5}  {:<9}  {:<10}  {:>3} min  {}{}",
                post.id,
                post.display_status(),
                post.date.get(..10).unwrap_or(&post.date),
                post.reading_minutes,
                post.display_title(),
                if post.sample { "  [sample]" } else { "" }
            );
        }
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Render { file } => {
            let text = read_input(&file)?;
            let (_, body) = galley::front_matter::split(&text);
            out!("{}", galley::render::render_html(body));
        }
        Command::Stats { file, json, profile } => {
            let text = read_input(&file)?;
            let (_, body) = galley::front_matter::split(&text);
            let stats = galley::stats::stats_with(body, profile.into());
            if json {
                out!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                out!(
                    "words: {}\ncode_lines: {}\nimages: {}\nreading_minutes: {}\nprofile: {}",
                    stats.words,
                    stats.code_lines,
                    stats.images,
                    stats.reading_minutes,
                    stats.profile
                );
            }
        }
        Command::List { status, json } => {
            let library = open_library(cli.library)?;
            print_posts(&library.list(status.map(Status::from))?, json)?;
        }
        Command::Search { query, json } => {
            let library = open_library(cli.library)?;
            print_posts(&library.search(&query)?, json)?;
        }
        Command::Import { dir, dry_run, force } => {
            let mut library = open_library(cli.library)?;
            import_command(&mut library, &dir, dry_run, force)?;
            if !dry_run && library.linked_site()?.is_none() {
                // The first site imported becomes the library's site folder (the app's default).
                let folder = dir.canonicalize().with_context(|| format!("reading {}", dir.display()))?;
                library.set_linked_site(Some(&folder))?;
                eprintln!("galley: linked this library to the site folder {}", folder.display());
            }
        }
        Command::Export { to, preset, status, dry_run, force } => {
            let options =
                galley::export::ExportOptions { site: to, preset: preset.into(), status: status.map(Status::from), post_ids: None };
            let mut library = open_library(cli.library)?;
            export_command(&mut library, &options, dry_run, force)?;
        }
        Command::Check => {
            let library = open_library(cli.library)?;
            let verdict = library.integrity_check()?;
            out!("{verdict}");
            if verdict != "ok" {
                anyhow::bail!("the library {} is damaged", library.path().display());
            }
        }
        Command::Backup { file } => {
            let path = library_path(cli.library)?;
            match file {
                Some(file) => {
                    backup::backup_to(&path, &file)?;
                    out!("{}", file.display());
                }
                None => out!("{}", backup::backup(&path)?.display()),
            }
        }
        Command::Restore { file } => {
            let path = library_path(cli.library)?;
            let restored = backup::restore(&path, &file)?;
            if let Some(kept) = restored.kept {
                eprintln!("galley: the library it replaced is kept as {}", kept.display());
            }
            out!("restored {} from {}", path.display(), file.display());
        }
        Command::Completions { shell } => manpage::write_completions(Cli::command(), shell, &mut std::io::stdout().lock()),
        Command::Man { dir: Some(dir) } => manpage::write_man_pages(Cli::command(), &dir)?,
        Command::Man { dir: None } => manpage::write_man_page(Cli::command(), &mut std::io::stdout().lock())?,
        Command::New { title } => {
            let mut library = open_library(cli.library)?;
            let id = library.new_draft(&title)?;
            out!("{id}");
        }
    }
    Ok(())
}

fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    })
}

fn import_command(library: &mut Library, dir: &std::path::Path, dry_run: bool, force: bool) -> Result<()> {
    use galley::import::{self, ImportAction};
    let spinner = progress_bar(0);
    if let Some(bar) = &spinner {
        bar.set_message(format!("reading {}", dir.display()));
    }
    let plan = import::plan(library, dir)?;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    for skipped in &plan.skipped {
        out!("skipped   {}: {}", skipped.path, skipped.reason);
    }
    for item in &plan.items {
        if let Some(error) = &item.front_matter_error {
            out!("warning   {}: {error} (imported with its raw text)", item.path);
        }
    }
    if dry_run {
        for item in &plan.items {
            let action = match item.action {
                ImportAction::Create => "create",
                ImportAction::Update => "update",
                ImportAction::Unchanged => "unchanged",
                ImportAction::Conflict => "conflict",
            };
            out!("{action:<9} {}", item.path);
        }
        out!(
            "dry run: {} to import, {} to update, {} unchanged, {} conflicts, {} skipped ({})",
            plan.count(ImportAction::Create),
            plan.count(ImportAction::Update),
            plan.count(ImportAction::Unchanged),
            plan.count(ImportAction::Conflict),
            plan.skipped.len(),
            plan.site.display()
        );
        return Ok(());
    }
    let report = import::execute(library, &plan, force)?;
    for conflict in &report.conflicts {
        out!("conflict  {}: {}", conflict.path, conflict.reason);
    }
    out!(
        "imported {}, updated {}, unchanged {}, skipped {} ({})",
        report.imported.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.skipped.len(),
        report.site.display()
    );
    if !report.conflicts.is_empty() {
        anyhow::bail!("{} files changed both on disk and in Galley were not imported (use --force)", report.conflicts.len());
    }
    Ok(())
}

fn export_command(library: &mut Library, options: &galley::export::ExportOptions, dry_run: bool, force: bool) -> Result<()> {
    use galley::export::{self, ExportAction};
    let plan = export::plan(library, options)?;
    for error in &plan.errors {
        out!("error     {}: {}", error.path.as_deref().unwrap_or(&format!("post {}", error.post_id)), error.message);
    }
    if dry_run {
        for item in &plan.items {
            match &item.reason {
                Some(reason) => out!("{:<9} {} ({reason})", item.action.as_str(), item.path),
                None => out!("{:<9} {}", item.action.as_str(), item.path),
            }
        }
        out!(
            "dry run: {} to create, {} to update, {} unchanged, {} conflicts, {} errors ({})",
            plan.count(ExportAction::Create),
            plan.count(ExportAction::Update),
            plan.count(ExportAction::Unchanged),
            plan.count(ExportAction::Conflict),
            plan.errors.len(),
            plan.site.display()
        );
        return Ok(());
    }
    let bar = progress_bar(plan.items.len());
    let report = export::execute(library, &plan, force, &mut |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for conflict in &report.conflicts {
        out!("conflict  {}: {}", conflict.path, conflict.reason);
    }
    for error in report.errors.iter().skip(plan.errors.len()) {
        out!("error     {}: {}", error.path.as_deref().unwrap_or(""), error.message);
    }
    out!(
        "created {}, updated {}, unchanged {} ({})",
        report.created.len(),
        report.updated.len(),
        report.unchanged.len(),
        report.site.display()
    );
    if !report.conflicts.is_empty() {
        anyhow::bail!("{} files changed outside Galley were not overwritten (use --force)", report.conflicts.len());
    }
    if !report.errors.is_empty() {
        anyhow::bail!("{} posts could not be exported", report.errors.len());
    }
    Ok(())
}

/// True when the failure is writing to a closed pipe (the reader, e.g. `head`, is done).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// The error as one line: each cause once. Galley's own errors already say their cause in words,
/// so the chain stops at the first of them; other causes are added unless already said.
fn error_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
        if cause.downcast_ref::<galley::Error>().is_some() {
            break;
        }
    }
    line
}

/// Options with a fixed list of values (`--status`, `--preset`, `--profile`) and what to call them
/// when a value is not in the list.
const LISTED_OPTIONS: [(&str, &str); 3] = [("status", "status"), ("preset", "preset"), ("profile", "reading-time profile")];

/// A value outside an option's list as one line, like every other failure: `unknown preset
/// 'wordpress' (expected keep, hugo, zola, jekyll or astro)`. `None` for other parse errors.
fn unknown_value_line(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let (Some(ContextValue::String(arg)), Some(ContextValue::String(value)), Some(ContextValue::Strings(valid))) =
        (error.get(ContextKind::InvalidArg), error.get(ContextKind::InvalidValue), error.get(ContextKind::ValidValue))
    else {
        return None;
    };
    // clap names the option as `--preset <PRESET>`.
    let option = arg.trim_start_matches('-').split_whitespace().next()?;
    let (_, noun) = LISTED_OPTIONS.iter().find(|(name, _)| *name == option)?;
    let expected = match valid.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => return None,
    };
    Some(format!("unknown {noun} '{value}' (expected {expected})"))
}

/// The command line; help, `--version` and usage errors end here as clap prints them.
fn parse_args() -> Cli {
    Cli::try_parse().unwrap_or_else(|error| match unknown_value_line(&error) {
        Some(line) => {
            eprintln!("galley: {line}");
            std::process::exit(1);
        }
        None => error.exit(),
    })
}

fn main() {
    if let Err(error) = run(parse_args()) {
        if is_broken_pipe(&error) {
            return;
        }
        eprintln!("galley: {}", error_line(&error));
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI's names are the core's: every core value is accepted under its own name and maps
    /// back to itself, and the CLI knows no other.
    #[test]
    fn listed_values_are_the_core_names() {
        for preset in Preset::ALL {
            assert_eq!(Preset::from(PresetArg::from_str(preset.as_str(), false).unwrap()), preset);
        }
        assert_eq!(PresetArg::value_variants().len(), Preset::ALL.len());
        for profile in Profile::ALL {
            assert_eq!(Profile::from(ProfileArg::from_str(profile.name(), false).unwrap()), profile);
        }
        assert_eq!(ProfileArg::value_variants().len(), Profile::ALL.len());
        for status in StatusArg::value_variants() {
            let name = status.to_possible_value().unwrap();
            assert_eq!(Status::parse(name.get_name()).unwrap(), Status::from(*status));
        }
    }

    #[test]
    fn an_unknown_value_is_one_line_naming_the_choices() {
        let error = |args: &[&str]| unknown_value_line(&Cli::try_parse_from(args).err().unwrap());
        assert_eq!(
            error(&["galley", "export", "--to", "out", "--preset", "wordpress"]).as_deref(),
            Some("unknown preset 'wordpress' (expected keep, hugo, zola, jekyll or astro)")
        );
        assert_eq!(
            error(&["galley", "list", "--status", "gone"]).as_deref(),
            Some("unknown status 'gone' (expected draft, ready or published)")
        );
        assert_eq!(
            error(&["galley", "stats", "-", "--profile", "wpm"]).as_deref(),
            Some("unknown reading-time profile 'wpm' (expected galley, hugo, zola or medium)")
        );
        assert_eq!(error(&["galley", "export"]), None, "other usage errors stay clap's");
    }

    #[test]
    fn profiles_take_any_case_and_default() {
        for (given, expected) in [("HUGO", Profile::Hugo), ("default", Profile::Galley), ("Medium", Profile::Medium)] {
            let Command::Stats { profile, .. } = Cli::try_parse_from(["galley", "stats", "-", "--profile", given]).unwrap().command else {
                panic!("not stats");
            };
            assert_eq!(Profile::from(profile), expected, "{given}");
        }
    }
}
