//! The `legbrief` command line: parses arguments, runs a command, prints its
//! problems and sets the exit status (0 success, 1 errors in the site, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use legbrief::archive;
use legbrief::diagnostics::Diagnostics;
use legbrief::pipeline::{self, BuildOptions};

/// jemalloc rather than the system allocator: a build makes millions of short-lived
/// strings on several threads, which glibc's malloc serves slowly and fragments. On
/// an archive of 10,000 bilingual briefs a build is about a quarter faster and
/// peaks about 12% lower (BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    #[command(group(clap::ArgGroup::new("archive").args(["term", "all_terms"])))]
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
        /// Build a self-contained archive of legislative term N that works opened
        /// from disk (default output: <root>/public-term-N)
        #[arg(long, value_name = "N")]
        term: Option<u32>,
        /// Build an archive of every term that has briefs, in term-N/ folders, with
        /// an index page of them (default output: <root>/public-terms)
        #[arg(long)]
        all_terms: bool,
        /// With --term or --all-terms: also write each archive as a zip file
        /// (deterministic: fixed dates, sorted entries)
        #[arg(long, requires = "archive")]
        zip: bool,
        /// Write the files added, changed and removed against the previous output
        /// to FILE (outside the output), one a line: `A path`, `M path`, `D path`
        #[arg(long, value_name = "FILE")]
        changes: Option<PathBuf>,
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
    /// Turn briefs as published (their PDF papers, or text extracted from them) into sources
    Import {
        /// Each brief's PDF or extracted text, or folders of them (.pdf, .txt), e.g.
        /// seeds/000_43a7662005da7c5f.txt
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site's folder (holding legbrief.toml); sources go to its content/briefs/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The briefs' language (default: detected from the text)
        #[arg(long)]
        lang: Option<String>,
        /// The slug of the brief (default: from the title, or the English twin's)
        #[arg(long)]
        slug: Option<String>,
        /// Overwrite existing sources
        #[arg(long)]
        force: bool,
        /// Print the sources instead of writing them
        #[arg(long)]
        dry_run: bool,
        /// Add each committee a paper names that legbrief.toml lacks to legbrief.toml
        #[arg(long)]
        add_committees: bool,
    },
    /// Preview while drafting: build in memory, serve, rebuild and reload on every save
    Serve {
        /// The site's folder (holding legbrief.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; only this machine can connect to the default
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on; 0 picks a free one (the URL is printed)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include briefs marked `draft = true`
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Poll the files for changes, for file systems without change events
        #[arg(long)]
        poll: bool,
    },
    /// Create a new site in DIR, ready to build
    Init {
        /// The folder to create (must be empty or absent)
        dir: PathBuf,
    },
}

/// One line of progress while importing many files (only on a terminal).
fn import_progress(k: usize, n: usize, file: &std::path::Path) {
    eprint!("\r\x1b[K[{k}/{n}] {}", file.display());
}

/// The table after importing many files: per file, what became of it.
fn import_summary(inputs: &[PathBuf], imported: &[legbrief::import::command::ImportedFile], diags: &Diagnostics) {
    let count = |path: &std::path::Path, errors: bool| {
        diags
            .iter()
            .filter(|d| legbrief::import::command::is_about(d, path))
            .filter(|d| (d.severity == legbrief::diagnostics::Severity::Error) == errors)
            .count()
    };
    let width = inputs
        .iter()
        .map(|p| p.display().to_string().chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    eprintln!(
        "{:width$}  {:10}  {:>10}  {:>6}  {:>8}",
        "file", "result", "paragraphs", "papers", "warnings"
    );
    let (mut ok, mut failed) = (0, 0);
    for input in inputs {
        let errors = count(input, true);
        let warnings = count(input, false);
        let done = imported.iter().find(|f| &f.input == input);
        let (result, paragraphs, papers) = match done {
            Some(f) if f.unchanged => (
                "unchanged",
                f.imported.paragraphs.to_string(),
                f.imported.papers.to_string(),
            ),
            Some(f) => (
                "imported",
                f.imported.paragraphs.to_string(),
                f.imported.papers.to_string(),
            ),
            None if errors > 0 => ("failed", "-".to_string(), "-".to_string()),
            None => ("not written", "-".to_string(), "-".to_string()),
        };
        if errors > 0 {
            failed += 1;
        } else {
            ok += 1;
        }
        eprintln!(
            "{:width$}  {result:10}  {paragraphs:>10}  {papers:>6}  {warnings:>8}",
            input.display().to_string()
        );
    }
    eprintln!("{} files: {ok} without errors, {failed} failed", inputs.len());
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
            term,
            all_terms,
            zip,
            changes,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                base_url,
                drafts,
                term: None,
                progress: true,
                allow_broken_links,
                changes,
            };
            let result = match (term, all_terms) {
                (Some(term), _) => {
                    let output = output.unwrap_or_else(|| archive::default_term_output(&root, term));
                    archive::build_term(&options, term, &output, zip)
                        .map(|r| (r.build.diagnostics.clone(), r.summary()))
                }
                (None, true) => {
                    let output = output.unwrap_or_else(|| archive::default_all_terms_output(&root));
                    archive::build_all_terms(&options, &output, zip).map(|r| (r.build.diagnostics.clone(), r.summary()))
                }
                (None, false) => {
                    let output = output.unwrap_or_else(|| root.join("public"));
                    pipeline::build(&options, &output).map(|r| (r.diagnostics.clone(), r.summary()))
                }
            };
            match result {
                Ok((diagnostics, summary)) => {
                    print_diagnostics(&diagnostics.sorted());
                    eprintln!("{summary}");
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    let diags = diags.sorted();
                    print_diagnostics(&diags);
                    eprintln!(
                        "Build failed with {} error{} and {} warning{}; {}",
                        diags.error_count(),
                        if diags.error_count() == 1 { "" } else { "s" },
                        diags.warning_count(),
                        if diags.warning_count() == 1 { "" } else { "s" },
                        legbrief::output::after_failure(&diags),
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { root, term, drafts } => {
            let report = legbrief::pipeline::check(&BuildOptions {
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
        Command::Import {
            files,
            root,
            lang,
            slug,
            force,
            dry_run,
            add_committees,
        } => {
            let inputs = legbrief::import::command::expand_inputs(&files);
            if slug.is_some() && inputs.len() > 1 {
                eprintln!("error: --slug names one brief; give one FILE with it");
                return ExitCode::from(2);
            }
            let many = inputs.len() > 1;
            let request = legbrief::import::command::ImportRequest {
                files,
                root,
                lang,
                slug,
                force,
                dry_run,
                add_committees,
                progress: (many && std::io::IsTerminal::is_terminal(&std::io::stderr()))
                    .then_some(import_progress as fn(usize, usize, &std::path::Path)),
            };
            let result = legbrief::import::command::run(&request);
            if request.progress.is_some() {
                eprint!("\r\x1b[K");
            }
            match result {
                Ok((imported, warnings)) => {
                    print_diagnostics(&warnings.clone().sorted());
                    for file in &imported {
                        let i = &file.imported;
                        if dry_run {
                            print!("{}", i.source);
                        }
                        let verb = if dry_run {
                            "would become"
                        } else if file.unchanged {
                            "unchanged, skipped:"
                        } else {
                            "->"
                        };
                        eprintln!(
                            "{} {verb} {}: {} paragraphs, {} papers, {} warnings",
                            file.input.display(),
                            file.target.display(),
                            i.paragraphs,
                            i.papers,
                            i.warnings.len()
                        );
                    }
                    if many {
                        import_summary(&inputs, &imported, &warnings);
                    }
                    if warnings.has_errors() {
                        eprintln!(
                            "{}",
                            legbrief::import::command::failure_line(&inputs, &imported, dry_run)
                        );
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print_diagnostics(&diags.clone().sorted());
                    if many {
                        import_summary(&inputs, &[], &diags);
                    }
                    eprintln!("Import failed; nothing was written");
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            poll,
        } => {
            let options = legbrief::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
                poll,
            };
            match legbrief::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
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
