//! Generates a synthetic archive of bilingual background briefs, as a legbrief site
//! and as three Hugo sites of the same briefs, for the benchmarks in `BENCHMARKS.md`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --briefs 1000 --seed 42 --out /tmp/corpus
//! ```
//! writes `/tmp/corpus/legbrief/` (build with `legbrief build --root …`),
//! `/tmp/corpus/hugo-plain/`, the plain Hugo site a Hugo user would make,
//! `/tmp/corpus/hugo-lean/`, the same with the appendix as a Markdown table, and
//! `/tmp/corpus/hugo/`, a Hugo site whose theme emulates legbrief's pages (build
//! either with `hugo --source … --minify`). The same seed gives the same corpus,
//! byte for byte, on every machine.

mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Generate N bilingual background briefs as a legbrief site and three Hugo sites.
#[derive(Parser)]
struct Args {
    /// Number of briefs; each is written in English and Traditional Chinese.
    #[arg(long, default_value_t = 1000)]
    briefs: usize,
    /// Seed of the pseudo-random choices: the same seed gives the same corpus.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Folder to write `legbrief/`, `hugo-plain/`, `hugo-lean/` and `hugo/` into; it must not
    /// exist or be empty.
    #[arg(long)]
    out: PathBuf,
    /// Write only the legbrief site, no Hugo site.
    #[arg(long)]
    no_hugo: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.out.read_dir().is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!("error: {} is not empty; choose a new folder", args.out.display());
        return ExitCode::from(2);
    }
    let options = corpus::Options {
        briefs: args.briefs,
        seed: args.seed,
        out: args.out,
        hugo: !args.no_hugo,
    };
    match corpus::generate(&options) {
        Ok(written) => {
            println!(
                "Wrote {} bilingual briefs ({:.1} MB of legbrief sources, {:.1} KB per language version) to {}{}",
                written.briefs,
                written.source_bytes as f64 / 1e6,
                written.source_bytes as f64 / 1e3 / (2.0 * written.briefs.max(1) as f64),
                written.legbrief_root.display(),
                written
                    .hugo_plain_root
                    .zip(written.hugo_lean_root)
                    .zip(written.hugo_root)
                    .map(|((p, l), h)| format!(", {}, {} and {}", p.display(), l.display(), h.display()))
                    .unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
