#!/usr/bin/env bash
# Installs what the test suite needs, pinned, and only what is missing or
# stale. Safe to run again: a second run changes nothing.
#
#   tools/install.sh            npm packages, Node 26, Chromium, Firefox ESR,
#                               WebKitGTK (WebKitWebDriver + MiniBrowser), Xvfb
#   tools/install.sh --npm      npm packages only (enough for Deno tests)
#
# - node_modules: `npm ci` (package-lock.json) when missing or stale.
# - Node 26: tools/node26's lockfile installed into .cache/node26, its own
#   prefix, so it never shadows the system `node`.
# - Browsers: Debian's `chromium`, `firefox-esr`, and for WebKit
#   `webkit2gtk-driver` (WebKitWebDriver, MiniBrowser) with `xvfb` for its
#   display, via apt-get when missing.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
npm_ci() { # dir
  if ! node tools/lib/lock_check.mjs "$1"; then
    echo "install: npm ci in $1"
    (cd "$1" && timeout 900 npm ci --no-audit --no-fund --loglevel=error) || status=1
  fi
}

npm_ci .
[[ "${1:-}" == "--npm" ]] && exit "$status"

mkdir -p .cache/node26
for f in package.json package-lock.json; do
  cmp -s "tools/node26/$f" ".cache/node26/$f" || cp "tools/node26/$f" ".cache/node26/$f"
done
npm_ci .cache/node26

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || missing+=(xvfb)
if ((${#missing[@]})); then
  echo "install: apt-get install ${missing[*]}"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  { timeout 300 $sudo apt-get -o DPkg::Lock::Timeout=240 update -qq &&
    timeout 1200 $sudo apt-get -o DPkg::Lock::Timeout=240 install -y -qq "${missing[@]}"; } >/tmp/seed-async-apt.log 2>&1 ||
    { echo "install: apt-get failed (see /tmp/seed-async-apt.log)"; status=1; }
fi
exit "$status"
