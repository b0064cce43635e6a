#!/usr/bin/env bash
# The README's demo command: installs the pinned tooling, then runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/deno ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec node_modules/.bin/deno run examples/downloads.ts "$@"
