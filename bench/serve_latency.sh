#!/usr/bin/env bash
# Edit-to-page-updated time of `legbrief serve` on a generated site of N bilingual
# briefs (default 5,000), over EDITS saves (default 20): prints each edit, the
# median and the worst, the startup build time and the server's peak RSS.
#
#   bench/serve_latency.sh [N] [EDITS]
#
# The corpus comes from the project's generator (examples/gen_corpus, seed 42), so
# every run measures the same site. Needs a release build (made here).
set -euo pipefail
n="${1:-5000}"
edits="${2:-20}"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin legbrief --example gen_corpus --example serve_latency
target/release/examples/gen_corpus --briefs "$n" --seed 42 --out "$work/corpus" --no-hugo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(target/release/legbrief --version)"
target/release/examples/serve_latency --root "$work/corpus/legbrief" --edits "$edits" --legbrief target/release/legbrief
