//! The `legbrief` command line: parses arguments, runs a command, prints its
//! problems and sets the exit status (0 success, 1 errors in the site, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use legbrief::diagnostics::Diagnostics;
use legbrief::pipeline::{self, BuildOptions};

#[derive(Parser)]
#[command(
    name = "legbrief",
    version,
    about = "Static site generator for legislative committee background briefs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site (default output: public/)
    Build {
        /// The site's folder (holding legbrief.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/public)
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override the config's base_url, e.g. https://example.org/briefs
        #[arg(long)]
        base_url: Option<String>,
        /// Include briefs marked `draft = true`
        #[arg(long)]
        drafts: bool,
        /// Publish even if internal links or #anchors are broken
        #[arg(long)]
        allow_broken_links: bool,
    },
    /// Check sources, config, templates and every internal link and #anchor; writes nothing
    Check {
        /// The site's folder (holding legbrief.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check the self-contained archive of term N
        #[arg(long)]
        term: Option<u32>,
        /// Include briefs marked `draft = true`
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR, ready to build
    Init {
        /// The folder to create (must be empty or absent)
        dir: PathBuf,
    },
}

fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.iter() {
        eprintln!("{d}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            allow_broken_links,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                base_url,
                drafts,
                term: None,
                progress: true,
                allow_broken_links,
            };
            let output = output.unwrap_or_else(|| root.join("public"));
            match pipeline::build(&options, &output) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics.clone().sorted());
                    eprintln!("{}", report.summary());
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    let diags = diags.sorted();
                    print_diagnostics(&diags);
                    eprintln!(
                        "Build failed with {} error{} and {} warning{}; the previous output is untouched",
                        diags.error_count(),
                        if diags.error_count() == 1 { "" } else { "s" },
                        diags.warning_count(),
                        if diags.warning_count() == 1 { "" } else { "s" },
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { root, term, drafts } => {
            let report = legbrief::check::check(&BuildOptions {
                root,
                drafts,
                term,
                ..BuildOptions::default()
            });
            print_diagnostics(&report.diagnostics);
            eprintln!("{}", report.summary());
            if report.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Init { dir } => match legbrief::init::init(&dir) {
            Ok(()) => {
                eprintln!(
                    "Created a new site in {}; build it with `legbrief build --root {}`",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
    }
}
