#!/usr/bin/env bash
# What a deployer uploads when one brief is added: legbrief builds a generated
# archive, then the same archive with one more brief (the newest), each into a
# fresh folder, and the two outputs are compared file by file.
#
#   [LEGBRIEF=path/to/legbrief] bench/changes.sh [--sizes "2000 10000"] [--seed 42] [--work DIR] [--keep]
#
# For each size N, prints the output's files and bytes, its largest file, and
# the files added, changed and removed by the new brief with their bytes (what
# `aws s3 sync`, `rsync` or a CDN purge would move), as shares of the whole.
# The brief added is the generated archive's newest, given a meeting a week
# after every other so that it is the newest brief of the newest term, as a new
# brief is. See BENCHMARKS.md.
#
# Every build writes to a fresh folder and everything is deleted only at the
# end (see bench/run.sh). Binaries are built in $CARGO_TARGET_DIR when it is
# set, else in target/.
set -euo pipefail

sizes="2000 10000"
seed=42
work=""
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --quiet --release --manifest-path "$root/Cargo.toml" --bin legbrief --example gen_corpus
# LEGBRIEF names another binary to measure (an earlier build, for a before
# and after).
legbrief="${LEGBRIEF:-$target/release/legbrief}"
gen="$target/release/examples/gen_corpus"
if [[ -z "$work" ]]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/legbrief-changes.XXXXXX")"
fi
mkdir -p "$work"
cleanup() { if [[ $keep == 0 ]]; then rm -rf "$work"; fi; }
trap cleanup EXIT

for n in $sizes; do
  corpus="$work/corpus-$n"
  "$gen" --briefs "$n" --seed "$seed" --no-hugo --out "$corpus" >/dev/null
  site="$corpus/legbrief"
  briefs="$site/content/briefs"
  # The newest brief by meeting date (then slug), moved aside for the first build.
  newest="$(grep -H '^meeting = ' "$briefs"/*.en.md | sed 's/:meeting = / /' | sort -k2,2 -k1,1 | tail -1 | cut -d' ' -f1)"
  slug="$(basename "$newest" .en.md)"
  last="$(grep -h '^meeting = ' "$briefs"/*.en.md | sed 's/meeting = //' | sort | tail -1)"
  later="$(date -d "$last + 7 days" +%F)"
  mkdir -p "$work/aside-$n"
  mv "$briefs/$slug".*.md "$work/aside-$n/"
  "$legbrief" build --root "$site" --output "$work/before-$n" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  for f in "$work/aside-$n"/*.md; do
    sed "s/^meeting = .*/meeting = $later/" "$f" >"$briefs/$(basename "$f")"
  done
  "$legbrief" build --root "$site" --output "$work/after-$n" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  python3 - "$work/before-$n" "$work/after-$n" "$n" "$slug" <<'EOF'
import filecmp, os, sys
before, after, n, slug = sys.argv[1:]
def files(root):
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if not rel.startswith(".legbrief"):
                out[rel] = os.path.getsize(path)
    return out
b, a = files(before), files(after)
added = [p for p in a if p not in b]
removed = [p for p in b if p not in a]
changed = [p for p in a if p in b and (a[p] != b[p] or not filecmp.cmp(os.path.join(before, p), os.path.join(after, p), shallow=False))]
total_files, total_bytes = len(a), sum(a.values())
moved = sum(a[p] for p in added + changed)
largest = max(a, key=a.get)
print(f"N={n}: output {total_files} files, {total_bytes / 1e6:.1f} MB; largest {largest} {a[largest] / 1e6:.2f} MB")
print(f"  one new brief ({slug}): {len(added)} added, {len(changed)} changed, {len(removed)} removed;"
      f" {len(added) + len(changed) + len(removed)} files ({100 * (len(added) + len(changed) + len(removed)) / total_files:.2f} %),"
      f" {moved / 1e6:.2f} MB ({100 * moved / total_bytes:.2f} %) to upload")
groups = {}
for p in added + changed + removed:
    parts = p.split("/")
    key = "/".join(parts[:3]) if len(parts) > 3 else "/".join(parts[:-1]) or parts[0]
    if parts[1:2] == ["briefs"]:
        key = parts[0] + "/briefs/*"
    groups[key] = groups.get(key, 0) + 1
for key, count in sorted(groups.items(), key=lambda kv: -kv[1])[:15]:
    print(f"    {count:6d}  {key}")
EOF
done
