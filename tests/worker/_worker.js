// The entry the WorkerPool tests start. Deno type-checks every TypeScript
// module a worker loads, again at each start (seconds on a busy machine), but
// not a JavaScript entry: the handlers live in _worker.ts, which
// `deno check tests/` checks once. The matrix bundles this file on its own
// to out/matrix/tests/worker/_worker.js.
import "./_worker.ts";
