#!/usr/bin/env bash
# The project's test command (`npm test`): the whole suite on any machine.
#
#   tools/test.sh          install what is missing, then static gates, Deno
#                          tests (sanitizers, JSDoc examples), every other
#                          runtime, the npm-compatibility check, and the
#                          browser demo (examples/browser/) in Chromium
#   tools/test.sh --deno   Deno tests only: the fast day-to-day path
#
# Every step prints `<name>: N passed, N failed`; the last line sums them,
# alone on its line: `N passed, N failed`. Exit status 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" NO_COLOR=1
started=$SECONDS
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

mode=full
[[ "${1:-}" == "--deno" ]] && mode=deno
section() { printf '\n=== %s (at %d s)\n' "$*" $((SECONDS - started)); }

section install
if [[ $mode == deno ]]; then bash tools/install.sh --npm; else bash tools/install.sh; fi ||
  echo "install: something failed to install; the steps that need it will fail"

# Runs a step that appends its own counts to $summary; one that fails
# without doing so (a crash) still counts as a failure.
guard() { # name command...
  local name=$1 before
  shift
  before=$(wc -l <"$summary")
  "$@"
  local status=$?
  if [[ $status != 0 && $(wc -l <"$summary") == "$before" ]]; then
    echo "$name: crashed (exit $status)"
    echo "$name 0 1" >>"$summary"
  fi
}

# Deno: its own runner with sanitizers on, plus the JSDoc examples. Counts
# come from Deno's summary lines, summed.
run_deno() {
  section "deno $(deno --version | head -n 1 | cut -d' ' -f2)"
  local log passed failed
  log=$(mktemp)
  # Loopback for the tests that read real response bodies; gc for the
  # memory tests; read access for the WorkerPool tests and examples (Deno
  # loads a worker's modules under its parent's permissions).
  timeout 900 deno test --allow-net=127.0.0.1 --v8-flags=--expose-gc \
    --allow-read=src,tests --doc --ignore=tests/worker \
    tests/ src/ mod.ts README.md docs/migrating/*.md 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  # The worker tests start a dozen workers, and Deno type-checks a worker's
  # modules at every start (uncached with a manual node_modules: seconds
  # each); the gates' `deno check tests/` has checked them once.
  timeout 240 deno test --no-check --allow-read=src,tests tests/worker/ 2>&1 |
    tee -a "$log"
  [[ ${PIPESTATUS[0]} != 0 ]] && status=1
  # README snippets check themselves with console.assert, which only prints.
  if grep -q "Assertion failed" "$log"; then
    echo "deno: a console.assert in an example failed"
    status=1
  fi
  # Deno's summary lines, one a run: `ok | 12 passed (3 steps) | 0 failed ...`.
  passed=$(grep -oE '^(ok|FAILED) \| [0-9]+ passed' "$log" | grep -oE '[0-9]+' |
    awk '{ s += $1 } END { print s + 0 }')
  failed=$(grep -oE '^(ok|FAILED) \| .*\| [0-9]+ failed' "$log" |
    grep -oE '[0-9]+ failed' | awk '{ s += $1 } END { print s + 0 }')
  # No summary (type error, crash, timeout) or a non-zero exit: one more failure.
  if [[ $status != 0 && $failed == 0 ]] || [[ $passed == 0 ]]; then failed=$((failed + 1)); fi
  rm -f "$log"
  echo "deno: $passed passed, $failed failed"
  echo "deno $passed $failed" >>"$summary"
}

if [[ $mode == deno ]]; then
  run_deno
else
  section "static gates"
  guard gates bash tools/gates.sh --summary "$summary"
  run_deno
  section "runtimes"
  guard matrix node tools/matrix/run.mjs --summary "$summary"
  section "npm compatibility"
  guard npm-compat node tools/npm_compat/run.mjs --summary "$summary"
  section "browser demo"
  guard browser-demo timeout 180 node tools/browser_demo/run.mjs --summary "$summary"
fi

section "summary"
awk '{ printf "%-14s %5d passed, %d failed\n", $1 ":", $2, $3; p += $2; f += $3 }
     END { printf "%d passed, %d failed\n", p, f; exit (f > 0 || NR == 0) }' "$summary"
