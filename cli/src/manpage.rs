//! What ships with the `galley` command besides the binary: its manual pages (clap_mangen, with the
//! exit codes) and its shell completions (clap_complete), both generated from the one clap model.
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap_complete::Shell;

/// What `galley` exits with, for the man page's EXIT STATUS section and `galley --help`.
pub const EXIT_CODES: [(u8, &str); 3] = [
    (0, "Success (also for --help, --version, and when the reader of the output, e.g. head, stops early)."),
    (
        1,
        "The command failed: a file could not be read or written, the library is damaged (check), an import or export left conflicts or errors, or an option's value is not one of its choices. The reason is printed on standard error as one line starting with \"galley:\".",
    ),
    (2, "The command line is wrong: an unknown command or option, or a missing argument (clap's usage message on standard error)."),
];

/// The exit codes as `--help` shows them after the options.
pub fn exit_codes_help() -> String {
    let mut text = String::from("Exit status:\n");
    for (code, meaning) in EXIT_CODES {
        text.push_str(&format!("  {code}  {meaning}\n"));
    }
    text
}

/// Writes the main manual page, `galley.1`: clap_mangen's sections plus EXIT STATUS.
pub fn write_man_page(command: clap::Command, out: &mut dyn Write) -> Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    for (code, meaning) in EXIT_CODES {
        writeln!(out, ".TP\n\\fB{code}\\fR\n{}", roff_text(meaning))?;
    }
    writeln!(out, ".SH \"SEE ALSO\"")?;
    let pages: Vec<String> =
        command.get_subcommands().filter(|sub| !sub.is_hide_set()).map(|sub| format!("\\fBgalley\\-{}\\fR(1)", sub.get_name())).collect();
    writeln!(out, "{}", pages.join(", "))?;
    man.render_version_section(out)?;
    Ok(())
}

/// Writes `galley.1` and one page per command (`galley-export.1`…) into `dir`.
pub fn write_man_pages(command: clap::Command, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut command = command.disable_help_subcommand(true);
    command.build();
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("galley-{}", sub.get_name());
        let page = clap_mangen::Man::new(sub.clone().display_name(name));
        let path = dir.join(page.get_filename());
        let mut file = std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        page.render(&mut file).with_context(|| format!("writing {}", path.display()))?;
    }
    let path = dir.join("galley.1");
    let mut file = std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
    write_man_page(command, &mut file).with_context(|| format!("writing {}", path.display()))
}

/// Writes the completion script for `shell` (bash, zsh, fish…) to `out`.
pub fn write_completions(mut command: clap::Command, shell: Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut command, "galley", out);
}

/// Plain text as roff: backslashes escaped, and no line may start with a control character.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> clap::Command {
        clap::Command::new("galley")
            .version("1.2.3")
            .about("test")
            .subcommand(clap::Command::new("list").about("List the posts"))
            .subcommand(clap::Command::new("export").about("Export posts").arg(clap::Arg::new("to").long("to")))
    }

    #[test]
    fn the_man_page_has_the_exit_codes_and_every_command() {
        let mut page = Vec::new();
        write_man_page(command(), &mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("\n.TH galley 1 "), "{page}");
        assert!(page.contains(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\n"), "{page}");
        assert!(page.contains("\\fB2\\fR\nThe command line is wrong"), "{page}");
        assert!(page.contains("\\fBgalley\\-export\\fR(1)"), "{page}");
        assert!(page.contains("1.2.3"), "{page}");
    }

    #[test]
    fn one_page_per_command_is_written() {
        let dir = tempfile::tempdir().unwrap();
        write_man_pages(command(), dir.path()).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["galley-export.1", "galley-list.1", "galley.1"]);
        let export = std::fs::read_to_string(dir.path().join("galley-export.1")).unwrap();
        assert!(export.contains("\\-\\-to"), "{export}");
    }

    #[test]
    fn completions_name_the_commands_for_each_shell() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut script = Vec::new();
            write_completions(command(), shell, &mut script);
            let script = String::from_utf8(script).unwrap();
            assert!(script.contains("export") && script.contains("list"), "{shell}: {script}");
        }
    }
}
