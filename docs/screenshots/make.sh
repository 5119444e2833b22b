#!/bin/sh
# Remakes the README's screenshots from a build of this repository's sample site:
# the seed brief in English and Chinese at desktop (1280 px) and phone (375 px)
# widths, the appendix on a phone, and the first two pages of the English brief printed to PDF (A4).
# Needs Debian's chromium, python3, poppler-utils (pdftoppm) and pngquant.
# Run from the repository's root: sh docs/screenshots/make.sh
set -eu
out=docs/screenshots
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cargo run --release --quiet -- build --output "$work/public"
port=8719
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/public" >/dev/null 2>&1 &
server=$!
sleep 1
brief=briefs/digital-government-smart-city/
shot() { # lang width height name [#fragment]
  # The page in a frame of the screen's size: a frame scrolls to a #fragment.
  printf '<!DOCTYPE html><body style="margin:0"><iframe src="%s" width="%s" height="%s" style="border:0;display:block"></iframe>' \
    "http://127.0.0.1:$port/$1/$brief${5:-}" "$2" "$3" >"$work/frame.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2,$3" \
    --virtual-time-budget=3000 --screenshot="$work/$4.png" "file://$work/frame.html" 2>/dev/null
  pngquant --force --quality=60-80 --output "$out/$4.png" "$work/$4.png"
}
shot en 1280 900 brief-en-desktop
shot en 375 740 brief-en-phone
shot zh-hk 1280 900 brief-zh-desktop
shot zh-hk 375 740 brief-zh-phone
shot en 375 800 appendix-en-phone '#appendix'
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$work/print.pdf" "http://127.0.0.1:$port/en/$brief" 2>/dev/null
pdftoppm -r 60 -f 1 -l 2 -png "$work/print.pdf" "$work/print"
for n in 1 2; do
  pngquant --force --quality=60-80 --output "$out/print-en-page$n.png" "$work/print-$n.png"
done
ls -l "$out"/*.png
