#!/usr/bin/env bash
# Static gates. Each prints `gate <name>: pass` or `gate <name>: FAIL` (with
# the tool's output above it); the script ends with `gates: N passed, N
# failed` and exits 1 if any gate failed.
#
#   tools/gates.sh [--summary FILE]   (FILE gets a `gates <passed> <failed>` line)
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" NO_COLOR=1
summary=""
[[ "${1:-}" == "--summary" ]] && summary="$2"

passed=0 failed=0
gate() { # name command...
  local name=$1 out
  shift
  if out=$(timeout 180 "$@" 2>&1); then
    passed=$((passed + 1))
    echo "gate $name: pass"
  else
    failed=$((failed + 1))
    printf '%s\n' "$out" | tail -n 40 | sed 's/^/  | /'
    echo "gate $name: FAIL ($*)"
  fi
}

# Export entries (mod.ts and every src/<area>/mod.ts) come from deno.json.
mapfile -t entries < <(node -e '
  for (const path of Object.values(require("./deno.json").exports)) console.log(path)')
# Directories that hold TypeScript to type-check (bench/ and examples/ may be empty).
check_dirs=()
for dir in tests bench examples; do
  [[ -n $(find "$dir" -name '*.ts' 2>/dev/null | head -n 1) ]] && check_dirs+=("$dir/")
done

gate fmt deno fmt --check
gate lint deno lint
gate check deno check mod.ts "${check_dirs[@]}"
gate check-doc deno check --doc mod.ts src/
gate doc-lint deno doc --lint "${entries[@]}"
gate publish deno publish --dry-run --allow-dirty
gate portability node tools/lib/portability.mjs
gate tree-shaking node tools/size.mjs --check

echo "gates: $passed passed, $failed failed"
[[ -n "$summary" ]] && echo "gates $passed $failed" >>"$summary"
((failed == 0))
