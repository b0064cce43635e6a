#!/usr/bin/env bash
# The README's demo command: installs the pinned tooling, then runs the
# crawler demo (examples/crawl.ts) with the least permissions it needs: the
# loopback network for its own site, and writes under out/ for its report.
#
#   npm run demo                          the crawl (options: --pages N,
#                                         --concurrency N, --deadline MS, ...)
#   npm run demo -- --deadline 300        a crawl cut short by its deadline
#   npm run demo -- downloads             the first example, examples/downloads.ts
#   npm run demo -- hash                  CPU work in a WorkerPool vs inline,
#                                         examples/hash.ts (--files N, --mb N,
#                                         --limit N)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/deno ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [[ "${1:-}" == "downloads" ]]; then
  exec node_modules/.bin/deno run examples/downloads.ts
fi
if [[ "${1:-}" == "hash" ]]; then
  # Read access: Deno loads the worker's modules under the demo's permissions.
  exec node_modules/.bin/deno run --allow-read=examples,src examples/hash.ts "${@:2}"
fi
exec node_modules/.bin/deno run --allow-net=127.0.0.1 --allow-write=out examples/crawl.ts "$@"
