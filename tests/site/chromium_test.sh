#!/usr/bin/env bash
# Loads every page of a rendered site in headless Chromium and fails unless each one reports
# data-ready="ok" on <body> and no data-errors (see site/assets/site.js). Also runs
# sort_check.html (clicks the sort buttons and checks the row order) and takes screenshots.
#
# usage: chromium_test.sh <zcb_site_render> <stats_dir> <work_dir> <sort_check.html> [history_dir]
# Exit status: 0 pass, 1 fail, 77 skipped (no Chromium; ctest SKIP_RETURN_CODE).
# CHROMIUM=/path/to/chrome overrides the browser.
set -euo pipefail

if [ $# -ne 4 ] && [ $# -ne 5 ]; then
  echo "usage: $0 <zcb_site_render> <stats_dir> <work_dir> <sort_check.html> [history_dir]" >&2
  exit 2
fi
render=$1 stats_dir=$2 work_dir=$3 sort_check=$4 history_dir=${5:-}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser=$(command -v "$candidate")
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "SKIPPED: no Chromium found (install the 'chromium' package, or set CHROMIUM=/path/to/chrome)"
  exit 77
fi

rm -rf "$work_dir"
mkdir -p "$work_dir"
site="$work_dir/site"
"$render" "$stats_dir" "$site" ${history_dir:+"$history_dir"}
cp "$sort_check" "$site/sort_check.html"

profile=$(mktemp -d "${TMPDIR:-/tmp}/zcb-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT

# Headless, no sandbox (root in containers), no GPU, and every host name unresolvable: a page
# that tries the network gets an error instead of a silent success.
chrome() {
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-extensions --disable-dev-shm-usage --user-data-dir="$profile" \
    --host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=2000 "$@"
}

failures=0
check_page() {  # <page.html> [extra attribute that must be present]
  local page=$1 required=${2:-} dom body
  if ! dom=$(chrome --dump-dom "file://$site/$page" 2>"$work_dir/${page%.html}.stderr"); then
    echo "FAIL $page: chromium exited with an error (see $work_dir/${page%.html}.stderr)"
    failures=$((failures + 1))
    return
  fi
  printf '%s\n' "$dom" >"$work_dir/${page%.html}.dom.html"
  body=$(printf '%s' "$dom" | tr '\n' ' ' | grep -o '<body[^>]*>' | head -n 1 || true)
  if [[ "$body" == *data-errors=* ]]; then
    echo "FAIL $page: script errors: $(printf '%s' "$body" | sed -n 's/.*data-errors="\([^"]*\)".*/\1/p')"
    failures=$((failures + 1))
  elif [[ "$body" != *'data-ready="ok"'* ]]; then
    echo "FAIL $page: data-ready=\"ok\" missing (site.js did not run to the end): $body"
    failures=$((failures + 1))
  elif [ -n "$required" ] && [[ "$body" != *"$required"* ]]; then
    echo "FAIL $page: expected $required on <body>: $body"
    failures=$((failures + 1))
  else
    echo "ok   $page"
  fi
}

pages=0
for path in "$site"/*.html; do
  page=$(basename "$path")
  if [ "$page" = sort_check.html ]; then
    check_page "$page" 'data-sort-check="ok"'
  else
    check_page "$page"
  fi
  pages=$((pages + 1))
done
if [ "$pages" -lt 4 ]; then
  echo "FAIL: expected index, provenance and two task pages, found $pages pages"
  failures=$((failures + 1))
fi
if [ -n "$history_dir" ] && [ ! -f "$site/history.html" ]; then
  echo "FAIL: a history was given but no history.html was rendered"
  failures=$((failures + 1))
fi

for shot in index nb201-cifar10; do
  if chrome --screenshot="$work_dir/$shot.png" --window-size=1280,900 --hide-scrollbars \
      "file://$site/$shot.html" >/dev/null 2>"$work_dir/$shot.screenshot.stderr" \
      && [ -s "$work_dir/$shot.png" ]; then
    echo "screenshot $work_dir/$shot.png"
  else
    echo "FAIL: no screenshot of $shot.html (see $work_dir/$shot.screenshot.stderr)"
    failures=$((failures + 1))
  fi
done

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all $pages pages ready without errors"
