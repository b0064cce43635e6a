import { assert } from "chai";
import { offAbort, onAbort } from "../../src/_on_abort.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";

Deno.test("onAbort runs every handler once, in subscription order", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => calls.push("a"));
  onAbort(controller.signal, { handleEvent: () => calls.push("b") });
  onAbort(controller.signal, () => calls.push("c"));
  controller.abort();
  controller.abort();
  assert.deepEqual(calls, ["a", "b", "c"]);
});

Deno.test("offAbort cancels one handler; the others still run", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => calls.push("a"));
  const b = onAbort(controller.signal, () => calls.push("b"));
  offAbort(b);
  offAbort(b);
  controller.abort();
  assert.deepEqual(calls, ["a"]);
});

Deno.test("a handler may cancel a later one while the abort is dispatched", () => {
  const controller = new AbortController();
  const calls: string[] = [];
  onAbort(controller.signal, () => {
    calls.push("a");
    offAbort(later);
  });
  const later = onAbort(controller.signal, () => calls.push("later"));
  controller.abort();
  assert.deepEqual(calls, ["a"]);
});

Deno.test("one listener per signal, removed when the last subscription leaves", () => {
  using probe = probeAbortListeners();
  const controller = new AbortController();
  const subscriptions = Array.from(
    { length: 100_000 },
    () => onAbort(controller.signal, () => {}),
  );
  assert.equal(probe.count(controller.signal), 1);
  for (const subscription of subscriptions) offAbort(subscription);
  assert.equal(probe.count(controller.signal), 0);
  // A fresh subscription after the list emptied works as the first did.
  let ran = false;
  onAbort(controller.signal, () => ran = true);
  controller.abort();
  assert.isTrue(ran);
  assert.equal(probe.count(controller.signal), 0);
});

Deno.test("offAbort after the handler ran does nothing", () => {
  const controller = new AbortController();
  let runs = 0;
  const subscription = onAbort(controller.signal, () => runs++);
  controller.abort();
  offAbort(subscription);
  assert.equal(runs, 1);
});

Deno.test("a signal aborted by a handler runs its handlers after the current signal's", () => {
  const parent = new AbortController();
  const child = new AbortController();
  const calls: string[] = [];
  onAbort(parent.signal, () => {
    calls.push("parent 1");
    child.abort();
    // Aborted already, its handlers not run yet: no recursion per level.
    assert.isTrue(child.signal.aborted);
    assert.deepEqual(calls, ["parent 1"]);
  });
  onAbort(parent.signal, () => calls.push("parent 2"));
  onAbort(child.signal, () => calls.push("child"));
  parent.abort();
  // Every queued handler has run when the outermost abort() returns.
  assert.deepEqual(calls, ["parent 1", "parent 2", "child"]);
});

Deno.test("a queued handler cancelled before its turn does not run", () => {
  using probe = probeAbortListeners();
  const parent = new AbortController();
  const child = new AbortController();
  const calls: string[] = [];
  onAbort(parent.signal, () => {
    child.abort();
    offAbort(queued);
  });
  const queued = onAbort(child.signal, () => calls.push("queued"));
  parent.abort();
  assert.deepEqual(calls, []);
  assert.equal(probe.count(), 0);
});

// The error escapes to the signal's dispatch, which reports it as an
// uncaught exception: catchable only where the global scope is an
// EventTarget that receives it (Deno, browsers), not in Node or Bun.
const deno = (globalThis as { Deno?: { version?: unknown } }).Deno;

Deno.test({
  name: "a throwing handler does not strand the handlers and signals behind it",
  ignore: !deno?.version,
  fn() {
    const parent = new AbortController();
    const child = new AbortController();
    const grandchild = new AbortController();
    const calls: string[] = [];
    const boom = new Error("boom");
    onAbort(parent.signal, () => child.abort());
    onAbort(child.signal, () => {
      calls.push("child 1");
      throw boom;
    });
    onAbort(child.signal, () => grandchild.abort());
    onAbort(grandchild.signal, () => calls.push("grandchild"));
    const thrown: unknown[] = [];
    const onError = (event: Event) => {
      event.preventDefault();
      thrown.push((event as ErrorEvent).error);
    };
    globalThis.addEventListener("error", onError);
    try {
      parent.abort();
    } finally {
      globalThis.removeEventListener("error", onError);
    }
    assert.deepEqual(calls, ["child 1", "grandchild"]);
    assert.deepEqual(thrown, [boom]);
    // The registry is not left mid-dispatch: a later abort runs at once.
    const later = new AbortController();
    let ran = false;
    onAbort(later.signal, () => ran = true);
    later.abort();
    assert.isTrue(ran);
  },
});
