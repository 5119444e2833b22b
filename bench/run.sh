#!/usr/bin/env bash
# legbrief against Hugo on generated archives of bilingual background briefs.
#
#   bench/run.sh [--sizes "1000 5000 10000"] [--runs 3] [--seed 42] [--work DIR] [--keep]
#                [--serve-size 5000] [--jemalloc]
#
# For each size N: generates N bilingual briefs (examples/gen_corpus) as a legbrief
# site and three Hugo sites of the same briefs: two plain ones a Hugo user would
# make (home, paginated section and taxonomies, single pages, RSS, sitemap), one
# whose appendix a template loop makes from front matter (hugo-plain/) and a lean
# one whose appendix is a Markdown table and paragraph numbers plain text in the
# content (hugo-lean/), and one whose theme emulates legbrief's extra pages (hugo/:
# topic quotes, papers index, search index). Builds each --runs times, alternating
# legbrief and the three Hugo sites in every round so that all meet the same noise,
# and prints the median wall time and peak RSS (GNU time) with the headline ratio
# legbrief / the faster of the two plain Hugo sites, the ratios to each plain site
# and to the emulating theme as labelled figures, and the files and bytes each
# wrote. Then measures `hugo server`'s startup on the faster plain site and `legbrief
# serve`'s on the serve-size site with the serve latency tool
# (examples/serve_latency.rs). See BENCHMARKS.md.
#
# --jemalloc also builds with jemalloc preloaded (Debian's libjemalloc2) in place
# of the system allocator, as a further contender in the same rounds.
#
# Every build writes to a fresh folder and everything is deleted only at the end:
# on a file system without a journal, deleting a large tree slows the creation of
# files for a while afterwards, which would penalise whichever build came next.
# Binaries are built in $CARGO_TARGET_DIR when it is set, else in target/.
set -euo pipefail

sizes="1000 5000 10000"
runs=3
seed=42
work=""
keep=0
serve_size=5000
jemalloc=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --serve-size) serve_size="$2"; shift 2 ;;
    --jemalloc) jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "$work" ]]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/legbrief-bench.XXXXXX")"
else
  mkdir -p "$work"
fi
cleanup() {
  if [[ $keep -eq 0 ]]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -f '%M' true >/dev/null 2>&1; then
  echo "GNU time is missing: install it with 'apt-get install -y time'" >&2
  exit 1
fi
if [[ -n "$jemalloc" && ! -f "$jemalloc" ]]; then
  echo "--jemalloc needs Debian's libjemalloc2 ('apt-get install -y libjemalloc2')" >&2
  exit 1
fi
have_hugo=1
if ! command -v hugo >/dev/null; then
  have_hugo=0
  echo "Hugo is missing: install it with 'apt-get install -y hugo' (Debian's package); measuring legbrief alone." >&2
fi

echo "Building legbrief and the corpus generator (release)…" >&2
latency_tool=0
[[ -f "$repo/examples/serve_latency.rs" ]] && latency_tool=1
(cd "$repo" && cargo build --release --quiet --bin legbrief --example gen_corpus \
  $([[ $latency_tool -eq 1 ]] && echo --example serve_latency))
target="${CARGO_TARGET_DIR:-$repo/target}"
legbrief="$target/release/legbrief"
gen="$target/release/examples/gen_corpus"

# Runs a command, recording "<wall seconds> <peak RSS KiB>" in $1.
measure() {
  local record="$1"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$record.rss" "$@" >"$record.log" 2>&1 || {
    echo "failed: $*" >&2; cat "$record.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc -l) $(cat "$record.rss")" >"$record"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
max() { sort -g | tail -1; }
# Pages written: HTML pages and XML files (feeds, sitemaps).
count() { find "$1" -type f -name '*.html' | wc -l; }
count_xml() { find "$1" -type f -name '*.xml' | wc -l; }
# What a build wrote: "<html> html + <xml> xml|<MB>", the MB of all its files.
written() {
  echo "$(count "$1") html + $(count_xml "$1") xml|$(du -s --apparent-size --block-size=1 "$1" | awk '{printf "%.1f", $1 / 1e6}')"
}

{
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB memory"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "legbrief: $("$legbrief" --version 2>/dev/null || echo unknown) ($(cd "$repo" && git rev-parse --short HEAD))"
  [[ $have_hugo -eq 1 ]] && echo "hugo: $(hugo version | cut -d' ' -f1-2)"
  echo "runs per build: $runs (median), seed $seed"
} | tee "$work/facts.txt"

results="$work/results.txt"
: >"$results"
for n in $sizes; do
  corpus="$work/corpus-$n"
  echo "Generating $n bilingual briefs…" >&2
  "$gen" --briefs "$n" --seed "$seed" --out "$corpus" >&2
  mkdir -p "$work/out-$n" "$work/rec-$n"
  # All four builds then read their sources from the page cache.
  find "$corpus" -type f -exec cat {} + >/dev/null
  for r in $(seq 1 "$runs"); do
    echo "  N=$n run $r/$runs: legbrief" >&2
    measure "$work/rec-$n/lb-$r.rec" "$legbrief" build --root "$corpus/legbrief" --output "$work/out-$n/lb-$r"
    if [[ -n "$jemalloc" ]]; then
      echo "  N=$n run $r/$runs: legbrief with jemalloc" >&2
      measure "$work/rec-$n/je-$r.rec" env LD_PRELOAD="$jemalloc" "$legbrief" build \
        --root "$corpus/legbrief" --output "$work/out-$n/je-$r"
    fi
    if [[ $have_hugo -eq 1 ]]; then
      echo "  N=$n run $r/$runs: plain Hugo (template loop)" >&2
      measure "$work/rec-$n/plain-$r.rec" hugo --quiet --minify --source "$corpus/hugo-plain" --destination "$work/out-$n/plain-$r"
      echo "  N=$n run $r/$runs: lean plain Hugo" >&2
      measure "$work/rec-$n/lean-$r.rec" hugo --quiet --minify --source "$corpus/hugo-lean" --destination "$work/out-$n/lean-$r"
      echo "  N=$n run $r/$runs: emulating Hugo" >&2
      measure "$work/rec-$n/hugo-$r.rec" hugo --quiet --minify --source "$corpus/hugo" --destination "$work/out-$n/hugo-$r"
    fi
  done
  lb_t=$(cat "$work/rec-$n"/lb-*.rec | awk '{print $1}' | median)
  lb_m=$(cat "$work/rec-$n"/lb-*.rec | awk '{print $2}' | max)
  lb_out="$(written "$work/out-$n/lb-1")"
  if [[ $have_hugo -eq 1 ]]; then
    pl_t=$(cat "$work/rec-$n"/plain-*.rec | awk '{print $1}' | median)
    pl_m=$(cat "$work/rec-$n"/plain-*.rec | awk '{print $2}' | max)
    pl_out="$(written "$work/out-$n/plain-1")"
    le_t=$(cat "$work/rec-$n"/lean-*.rec | awk '{print $1}' | median)
    le_m=$(cat "$work/rec-$n"/lean-*.rec | awk '{print $2}' | max)
    le_out="$(written "$work/out-$n/lean-1")"
    hu_t=$(cat "$work/rec-$n"/hugo-*.rec | awk '{print $1}' | median)
    hu_m=$(cat "$work/rec-$n"/hugo-*.rec | awk '{print $2}' | max)
    hu_out="$(written "$work/out-$n/hugo-1")"
  else
    pl_t=NaN; pl_m=NaN; pl_out="-|-"; le_t=NaN; le_m=NaN; le_out="-|-"; hu_t=NaN; hu_m=NaN; hu_out="-|-"
  fi
  # The headline compares with the faster of the two plain sites.
  if [[ $have_hugo -eq 1 ]] && awk -v l="$le_t" -v p="$pl_t" 'BEGIN { exit !(l < p) }'; then
    fa_t=$le_t; fa_m=$le_m; fa_name=lean
  else
    fa_t=$pl_t; fa_m=$pl_m; fa_name=loop
  fi
  echo "$n $lb_t $pl_t $hu_t $lb_m $pl_m $hu_m $le_t $le_m $fa_t $fa_m $fa_name|$lb_out|$pl_out|$hu_out|$le_out" >>"$results"
  echo "$n $fa_name" >>"$work/faster.txt"
  # The memory target holds for every command that reads the whole archive.
  echo "  N=$n: legbrief check, legbrief build --all-terms" >&2
  measure "$work/rec-$n/check.rec" "$legbrief" check --root "$corpus/legbrief"
  measure "$work/rec-$n/terms.rec" "$legbrief" build --all-terms --root "$corpus/legbrief" --output "$work/out-$n/terms"
  echo "$n $lb_t $lb_m $(cat "$work/rec-$n/check.rec") $(cat "$work/rec-$n/terms.rec")" >>"$work/commands.txt"
  # Each size's outputs go once it is measured (at 10,000 briefs they are some
  # 20 GB); the next size waits a minute for the file system to settle after
  # the deletion, as it slows file creation for a while.
  rm -rf "$work/out-$n"
  [[ "$n" != "${sizes##* }" ]] && sleep 60
  if [[ -n "$jemalloc" ]]; then
    echo "$n $(cat "$work/rec-$n"/je-*.rec | awk '{print $1}' | median) $lb_t $(cat "$work/rec-$n"/je-*.rec | awk '{print $2}' | max)" >>"$work/jemalloc.txt"
  fi
done

# One table per comparison: "$1" names the Hugo site in the headers, "$2" (faster,
# loop, lean or emulating) picks its median time and peak RSS from each results
# line; the faster table says which plain site was the faster at each size.
ratios() {
  local which=""
  [[ "$2" == faster ]] && which=" (site)"
  echo "| briefs (×2 languages) | legbrief s | $1$which s | legbrief/$1 time | legbrief ms/brief | legbrief peak RSS | $1 peak RSS | legbrief/$1 RSS |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  while IFS='|' read -r nums _; do
    read -r n lb_t pl_t hu_t lb_m pl_m hu_m le_t le_m fa_t fa_m fa_name <<<"$nums"
    local ht hm label=""
    case "$2" in
      faster) ht=$fa_t; hm=$fa_m; label=" ($fa_name)" ;;
      loop) ht=$pl_t; hm=$pl_m ;;
      lean) ht=$le_t; hm=$le_m ;;
      *) ht=$hu_t; hm=$hu_m ;;
    esac
    [[ "$ht" == NaN ]] && label=""
    awk -v n="$n" -v lt="$lb_t" -v ht="$ht" -v lm="$lb_m" -v hm="$hm" -v label="$label" 'BEGIN {
      nan = (ht == "NaN");
      printf "| %d | %.2f | %s | %s | %.3f | %.0f MiB | %s | %s |\n", n, lt,
        nan ? "-" : sprintf("%.2f%s", ht, label), nan ? "-" : sprintf("%.2f", lt / ht), 1000 * lt / n,
        lm / 1024, nan ? "-" : sprintf("%.0f MiB", hm / 1024), nan ? "-" : sprintf("%.2f", lm / hm) }'
  done <"$results"
}
echo
echo "Headline: legbrief against the faster of the two plain Hugo sites (lean: hugo-lean/, loop: hugo-plain/)"
echo
ratios "plain Hugo" faster
echo
echo "The lean plain Hugo site (hugo-lean/: appendix as a Markdown table, paragraph numbers as text)"
echo
ratios "lean Hugo" lean
echo
echo "The plain Hugo site with the template loop (hugo-plain/: appendix made from front matter)"
echo
ratios "loop Hugo" loop
echo
echo "The Hugo theme that emulates legbrief's pages (hugo/)"
echo
ratios "emulating Hugo" emulating
echo
echo "What each build wrote (first run; MB of all files)"
echo
echo "| briefs | legbrief files | legbrief MB | lean Hugo files | lean Hugo MB | loop Hugo files | loop Hugo MB | emulating Hugo files | emulating Hugo MB |"
echo "|---:|---|---:|---|---:|---|---:|---|---:|"
while IFS='|' read -r nums lb_files lb_mb pl_files pl_mb hu_files hu_mb le_files le_mb; do
  echo "| ${nums%% *} | $lb_files | $lb_mb | $le_files | $le_mb | $pl_files | $pl_mb | $hu_files | $hu_mb |"
done <"$results"
if [[ -n "$jemalloc" ]]; then
  echo
  echo "| briefs | legbrief with jemalloc s | with the system allocator s | jemalloc peak RSS |"
  echo "|---:|---:|---:|---:|"
  while read -r n je_t lb_t je_m; do
    awk -v n="$n" -v jt="$je_t" -v lt="$lb_t" -v jm="$je_m" \
      'BEGIN { printf "| %d | %.2f | %.2f | %.0f MiB |\n", n, jt, lt, jm / 1024 }'
  done <"$work/jemalloc.txt"
fi
echo
echo "Every command over the whole archive (build: median of the runs above; check and --all-terms: one run)"
echo
echo "| briefs | build s | build peak RSS | check s | check peak RSS | build --all-terms s | --all-terms peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
while read -r n bt bm ct cm tt tm; do
  awk -v n="$n" -v bt="$bt" -v bm="$bm" -v ct="$ct" -v cm="$cm" -v tt="$tt" -v tm="$tm" \
    'BEGIN { printf "| %d | %.2f | %.0f MiB | %.2f | %.0f MiB | %.2f | %.0f MiB |\n", n, bt, bm / 1024, ct, cm / 1024, tt, tm / 1024 }'
done <"$work/commands.txt"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Dev mode: edit-to-update time on the serve-size corpus, measured by the serve
# latency tool (examples/serve_latency.rs): 20 saves of one paragraph, each timed
# from the save to the edited page served with the new text.
if [[ " $sizes " == *" $serve_size "* ]]; then
  echo
  if [[ $latency_tool -eq 1 ]]; then
    if [[ $have_hugo -eq 1 ]]; then
      # What a Hugo user waits for before the first preview: `hugo server` on the
      # faster plain site until it says it is serving (it renders to memory, as
      # legbrief serve does).
      faster=$(awk -v n="$serve_size" '$1 == n {print $2}' "$work/faster.txt")
      site=hugo-plain
      [[ "$faster" == lean ]] && site=hugo-lean
      hlog="$work/hugo-server.log"
      start=$(date +%s.%N)
      hugo server --source "$work/corpus-$serve_size/$site" --port 1399 --bind 127.0.0.1 >"$hlog" 2>&1 &
      hpid=$!
      for _ in $(seq 1 6000); do
        grep -q "Web Server is available" "$hlog" && break
        kill -0 "$hpid" 2>/dev/null || break
        sleep 0.05
      done
      end=$(date +%s.%N)
      kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null || true
      echo "hugo server startup ($site, $serve_size briefs): $(echo "$end - $start" | bc -l | xargs printf '%.2f') s"
    fi
    echo "serve edit-to-update at $serve_size briefs (20 edits):"
    "$target/release/examples/serve_latency" --legbrief "$legbrief" \
      --root "$work/corpus-$serve_size/legbrief" --edits 20
  else
    echo "serve edit-to-update: not measured (examples/serve_latency.rs is missing)"
  fi
fi
