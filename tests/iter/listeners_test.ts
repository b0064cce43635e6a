// One abort listener per signal, however many operators use it (DESIGN
// rule 5): operators register through the library's shared registry.
import { assert } from "chai";
import {
  filter,
  find,
  flatMap,
  forEach,
  map,
  reduce,
  withSignal,
} from "../../src/iter/mod.ts";
import { probeAbortListeners } from "../_helpers/listeners.ts";
import { probe, settle, within } from "./_battery.ts";

Deno.test("40 open map pipelines on one signal add one listener, none once closed", async () => {
  using listeners = probeAbortListeners();
  const { signal } = new AbortController();
  const pipelines = Array.from(
    { length: 40 },
    (_, i) =>
      map(probe(10), (x, context) => (context.signal, x * i), {
        concurrency: 1 + (i % 3),
        signal,
      }),
  );
  for (const pipeline of pipelines) await within(pipeline.next());
  assert.isAtMost(listeners.count(signal), 1);
  await Promise.all(pipelines.map((pipeline) => within(pipeline.return())));
  assert.equal(listeners.count(signal), 0);
});

Deno.test("every operator and terminal shares the one listener", async () => {
  using listeners = probeAbortListeners();
  const { signal } = new AbortController();
  const open = [
    filter(probe(10), (x) => x > 0, { signal }),
    flatMap(probe(10), (x) => [x], { signal, concurrency: 2 }),
    withSignal(probe(10), signal),
  ];
  for (const op of open) await within(op.next());
  // Terminals in progress: their callbacks wait until released.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const running = [
    forEach(probe(3), (_, c) => (c.signal, gate), { signal, concurrency: 2 }),
    find(probe(3), async (x, c) => (c.signal, await gate, x === 2), {
      signal,
    }),
    reduce(probe(3), async (a, x, c) => (c.signal, await gate, a + x), 0, {
      signal,
    }),
  ];
  await settle();
  assert.isAtMost(listeners.count(signal), 1);
  release();
  await within(Promise.all(running));
  await Promise.all(open.map((op) => within(op.return())));
  assert.equal(listeners.count(signal), 0);
});

Deno.test("an abort reaches every pipeline through the one listener", async () => {
  using listeners = probeAbortListeners();
  const controller = new AbortController();
  const sources = Array.from({ length: 20 }, () => probe(10, { stallAt: 1 }));
  const pipelines = sources.map((source) =>
    map(source, (x) => x, { signal: controller.signal })
  );
  for (const pipeline of pipelines) await within(pipeline.next());
  const pending = pipelines.map((pipeline) => pipeline.next());
  await settle();
  const reason = new Error("stop");
  controller.abort(reason);
  for (const next of pending) {
    assert.strictEqual(await within(next.catch((e) => e)), reason);
  }
  assert.isTrue(sources.every((source) => source.returns === 1));
  assert.equal(listeners.count(controller.signal), 0);
});
