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
        } => {
            let options = BuildOptions {
                root: root.clone(),
                base_url,
                drafts,
                term: None,
                progress: true,
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
