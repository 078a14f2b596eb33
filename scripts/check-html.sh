#!/usr/bin/env bash
# Checks the HTML reports in a real browser (headless Chromium): each page loads without
# console errors, its tables and charts are there, and a screenshot is taken.
#   scripts/check-html.sh [BINARY] [SCREENSHOT_DIR]
# Needs Debian's chromium; .ci/run installs it when it can and skips this check otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/equalize}
shots=${2:-$(mktemp -d)}
mkdir -p "$shots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$binary" run -q --report html --out "$work/demo"
"$binary" run -q --report html --formula cn --data datasets/cn-national --out "$work/cn"
"$binary" compare -q scenarios/cn-baseline.toml scenarios/cn-ethnic-double.toml --out "$work/compare.html"
"$binary" run -q --report html --formula formulas/cn-gansu.toml --data datasets/cn-gansu --out "$work/gansu"
"$binary" run -q --report html --scenario scenarios/gansu-ethnic-areas.toml --out "$work/gansu-ethnic"
"$binary" compare -q "$work/gansu" scenarios/gansu-ethnic-areas.toml scenarios/gansu-wider-band.toml --out "$work/gansu-compare.html"

failures=0
passed=0
check() { # page, what must be in the DOM, screenshot name
  local page=$1 needle=$2 shot=$3 profile ok=1
  profile=$(mktemp -d)
  local flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --user-data-dir="$profile" --enable-logging=stderr --v=0)
  local dom log
  dom=$(timeout 120 chromium "${flags[@]}" --dump-dom "file://$page" 2>"$work/log.txt") || true
  log=$(cat "$work/log.txt")
  if grep -Eq 'Uncaught|ERROR:CONSOLE|CONSOLE[^]]*\].*([Ee]rror|[Ee]xception)' <<<"$log"; then
    echo "FAIL $page: console errors:"; grep -Ei 'Uncaught|CONSOLE' <<<"$log" | head -5
    ok=0
  elif ! grep -q "$needle" <<<"$dom"; then
    echo "FAIL $page: '$needle' not in the rendered page"
    ok=0
  else
    echo "ok   $page"
  fi
  timeout 120 chromium "${flags[@]}" --window-size=1200,1800 --screenshot="$shots/$shot" "file://$page" >/dev/null 2>&1 || true
  if [ -s "$shots/$shot" ]; then echo "     screenshot $shots/$shot"; else echo "FAIL no screenshot of $page"; ok=0; fi
  rm -rf "$profile"
  if [ "$ok" -eq 1 ]; then passed=$((passed + 1)); else failures=$((failures + 1)); fi
}
check "$work/demo/report.html" 'class="sortable"' demo-report.png
check "$work/cn/report.html" 'aria-label="Lorenz curves"' cn-report.png
check "$work/compare.html" 'aria-label="distribution of percent changes"' cn-compare.png
check "$work/gansu-ethnic/report.html" 'class="published"' gansu-report.png
check "$work/gansu-compare.html" 'Comparison of 2 scenarios' gansu-compare.png
echo "html: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
