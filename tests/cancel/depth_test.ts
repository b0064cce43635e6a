// DESIGN rule 12: cancellation reaches the innermost of 10,000 nested levels
// without recursion proportional to the depth (no RangeError anywhere).
import { assert } from "chai";
import { CancelScope, linkSignals } from "../../src/cancel/mod.ts";
import { TaskGroup } from "../../src/tasks/mod.ts";
import { dispose } from "../_helpers/symbols.ts";

const DEPTH = 10_000;

Deno.test("depth: aborting the root of 10,000 linkSignals levels aborts the innermost", () => {
  const root = new AbortController();
  const links = [linkSignals(root.signal)];
  for (let i = 1; i < DEPTH; i++) {
    links.push(linkSignals(links[i - 1].signal));
  }
  const why = new Error("root");
  root.abort(why);
  for (const link of links) assert.strictEqual(link.signal.reason, why);
});

Deno.test("depth: cancelling the outermost of 10,000 nested CancelScopes aborts the innermost", () => {
  const scopes = [new CancelScope()];
  for (let i = 1; i < DEPTH; i++) {
    scopes.push(new CancelScope({ signal: scopes[i - 1].signal }));
  }
  const why = new Error("outermost");
  scopes[0].cancel(why);
  const innermost = scopes[DEPTH - 1];
  assert.strictEqual(innermost.signal.reason, why);
  assert.isFalse(innermost.cancelCalled);
  for (const scope of scopes) scope[dispose]();
});

Deno.test("depth: aborting the signal under 10,000 nested TaskGroups cancels the innermost task", async () => {
  const root = new AbortController();
  const groups = [new TaskGroup({ signal: root.signal })];
  for (let i = 1; i < DEPTH; i++) {
    groups.push(new TaskGroup({ signal: groups[i - 1].signal }));
  }
  const innermost = groups[DEPTH - 1];
  const task = innermost.spawn((signal) =>
    new Promise((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason));
    })
  );
  const why = new Error("root");
  root.abort(why);
  assert.strictEqual(innermost.signal.reason, why);
  assert.isTrue(task.signal.aborted);
  // Inner groups first, as nested `await using` blocks would close them.
  for (let i = DEPTH - 1; i >= 0; i--) {
    assert.strictEqual(await groups[i].wait().catch((e) => e), why);
  }
});
