//! The `galley` command line: render, stats, list, search, new, import, export, check, backup and
//! restore over the same library as the app. Output to a closed pipe ends the command quietly.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

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
    /// Print the sanitized preview HTML of a Markdown file (or - for stdin), in Galley's own
    /// Markdown dialect, a generator's default one (--generator) or a site's (--site DIR).
    Render {
        file: PathBuf,
        /// Render as this generator does by default (smart punctuation, autolinks, raw HTML, ids).
        #[arg(long, value_enum, ignore_case = true, conflicts_with = "site")]
        generator: Option<GeneratorArg>,
        /// Render as the site in DIR does, from its config (hugo.toml, config.toml, _config.yml, …).
        #[arg(long, value_name = "DIR")]
        site: Option<PathBuf>,
    },
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
        /// Only list each file as create / update / unchanged / conflict, with what the preset
        /// changes in each post (keys, dates, template syntax).
        #[arg(long)]
        dry_run: bool,
        /// With --dry-run: the plan as JSON (items with their changes, errors).
        #[arg(long, requires = "dry_run")]
        json: bool,
        /// Posts without a date that none can be inferred for: refused (the default), or given
        /// today's date (`--undated today`).
        #[arg(long, value_enum, default_value_t = UndatedArg::Refuse)]
        undated: UndatedArg,
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

/// `--undated`: what export does with a post that has no date and none can be inferred.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum UndatedArg {
    Refuse,
    Today,
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

/// `--generator`: a Markdown dialect by the name of its generator (`galley` is Galley's own).
#[derive(Clone, Copy, Debug, ValueEnum)]
enum GeneratorArg {
    Galley,
    Hugo,
    Zola,
    Jekyll,
    Astro,
}

impl From<GeneratorArg> for galley::render::Flavor {
    fn from(generator: GeneratorArg) -> Self {
        use galley::render::Flavor;
        match generator {
            GeneratorArg::Galley => Flavor::Galley,
            GeneratorArg::Hugo => Flavor::Hugo,
            GeneratorArg::Zola => Flavor::Zola,
            GeneratorArg::Jekyll => Flavor::Jekyll,
            GeneratorArg::Astro => Flavor::Astro,
        }
    }
}

/// The dialect `galley render` uses: the generator's defaults, the site's config, or Galley's own.
fn render_dialect(generator: Option<GeneratorArg>, site: Option<&Path>) -> Result<galley::render::Dialect> {
    if let Some(dir) = site {
        if !dir.is_dir() {
            anyhow::bail!("{} is not a folder: --site takes the site's root folder (where hugo.toml or _config.yml is)", dir.display());
        }
        return galley::site_config::read_site_config(dir).dialect.with_context(|| {
            format!(
                "{} has no config Galley recognizes (hugo.toml, config.toml, _config.yml, astro.config.*): pass --generator instead",
                dir.display()
            )
        });
    }
    Ok(galley::render::Dialect::of(generator.map(Into::into).unwrap_or_default()))
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
        Command::Render { file, generator, site } => {
            let dialect = render_dialect(generator, site.as_deref())?;
            let text = read_input(&file)?;
            let (_, body) = galley::front_matter::split(&text);
            out!("{}", galley::render::render_html_in(body, &dialect));
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
        Command::Export { to, preset, status, dry_run, json, undated, force } => {
            let options =
                galley::export::ExportOptions { site: to, preset: preset.into(), status: status.map(Status::from), post_ids: None };
            let mut library = open_library(cli.library)?;
            let undated = match undated {
                UndatedArg::Refuse => galley::export::Undated::Refuse,
                UndatedArg::Today => galley::export::Undated::Today,
            };
            let plan = galley::export::plan_from(galley::export::PlanInputs::read(&library, &options)?.undated(undated), &options)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&plan)?);
            } else {
                export_command(&mut library, plan, dry_run, force)?;
            }
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
            let action = item.action.as_str();
            out!("{action:<9} {}", item.path);
        }
        for asset in &plan.assets {
            let action = asset.action.as_str();
            let note = asset.reason.as_deref().map(|reason| format!("; {reason}")).unwrap_or_default();
            out!("{action:<9} {} (file {} of {}, {:?}, {} bytes{note})", asset.path, asset.name, asset.post_path, asset.kind, asset.size);
        }
        out!(
            "files of posts: {} to import, {} to update, {} unchanged, {} conflicts",
            plan.count_assets(ImportAction::Create),
            plan.count_assets(ImportAction::Update),
            plan.count_assets(ImportAction::Unchanged),
            plan.count_assets(ImportAction::Conflict)
        );
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
    for asset in &report.assets {
        out!("file      {} (post {}, as {})", asset.path, asset.post_id, asset.name);
    }
    out!("files of posts: {} stored, {} unchanged", report.assets.len(), report.assets_unchanged.len());
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

fn export_command(library: &mut Library, plan: galley::export::ExportPlan, dry_run: bool, force: bool) -> Result<()> {
    use galley::export::{self, ExportAction};
    for error in &plan.errors {
        let post = format!("post {} \"{}\"", error.post_id, error.title);
        out!("error     {}: {}", error.path.as_deref().unwrap_or(&post), error.message);
    }
    if dry_run {
        for item in &plan.items {
            match &item.reason {
                Some(reason) => out!("{:<9} {} ({reason})", item.action.as_str(), item.path),
                None => out!("{:<9} {}", item.action.as_str(), item.path),
            }
            for change in &item.changes {
                out!("          - {}", change.describe());
            }
        }
        for asset in &plan.assets {
            match &asset.reason {
                Some(reason) => {
                    out!("{:<9} {} (file {} of post {}; {reason})", asset.action.as_str(), asset.path, asset.name, asset.post_id)
                }
                None => out!("{:<9} {} (file {} of post {})", asset.action.as_str(), asset.path, asset.name, asset.post_id),
            }
        }
        out!(
            "files of posts: {} to create, {} to update, {} unchanged, {} conflicts",
            plan.count_assets(ExportAction::Create),
            plan.count_assets(ExportAction::Update),
            plan.count_assets(ExportAction::Unchanged),
            plan.count_assets(ExportAction::Conflict)
        );
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
    for path in &report.assets_written {
        out!("file      {path}");
    }
    out!("files of posts: {} written, {} unchanged", report.assets_written.len(), report.assets_unchanged.len());
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
