//! The `galley` command line: render, stats, list, search and new over the same library as the app.
use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use galley::library::{default_library_path, Library, Status};

#[derive(Parser)]
#[command(name = "galley", version, about = "Galley: write long technical blog posts")]
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
    },
    /// List the posts in the library.
    List {
        #[arg(long)]
        status: Option<String>,
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
}

fn read_input(file: &PathBuf) -> Result<String> {
    let bytes = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        bytes
    } else {
        std::fs::read(file).with_context(|| format!("reading {}", file.display()))?
    };
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!("{}: not valid UTF-8 (byte {})", file.display(), e.utf8_error().valid_up_to())
    })
}

fn open_library(path: Option<PathBuf>) -> Result<Library> {
    let path = match path {
        Some(path) => path,
        None => default_library_path()?,
    };
    let (mut library, fresh) = Library::open(&path)?;
    if fresh {
        galley::samples::seed(&mut library)?;
    }
    Ok(library)
}

fn print_posts(posts: &[galley::library::PostSummary], json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(posts)?);
    } else {
        for post in posts {
            println!(
                "{:>5}  {:<9}  {:<10}  {:>3} min  {}",
                post.id,
                post.status.as_str(),
                post.date.get(..10).unwrap_or(&post.date),
                post.reading_minutes,
                post.title
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
            println!("{}", galley::render::render_html(body));
        }
        Command::Stats { file, json } => {
            let text = read_input(&file)?;
            let (_, body) = galley::front_matter::split(&text);
            let stats = galley::stats::stats(body);
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!(
                    "words: {}\ncode_lines: {}\nimages: {}\nreading_minutes: {}\nprofile: {}",
                    stats.words, stats.code_lines, stats.images, stats.reading_minutes, stats.profile
                );
            }
        }
        Command::List { status, json } => {
            let status = status.as_deref().map(Status::parse).transpose()?;
            let library = open_library(cli.library)?;
            print_posts(&library.list(status)?, json)?;
        }
        Command::Search { query, json } => {
            let library = open_library(cli.library)?;
            print_posts(&library.search(&query)?, json)?;
        }
        Command::New { title } => {
            let mut library = open_library(cli.library)?;
            let id = library.new_draft(&title)?;
            println!("{id}");
        }
    }
    Ok(())
}

fn main() {
    if let Err(error) = run(Cli::parse()) {
        eprintln!("galley: {error:#}");
        std::process::exit(1);
    }
}
