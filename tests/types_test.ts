// Type-level tests: every public generic infers what its values are. Each
// `expectType<Equal<A, B>>(true)` fails to compile unless A is exactly B, so
// `deno check` (and tsc, in the npm-compat step, against the packed package)
// fails when an inference regresses. The values are checked at run time too,
// so the file is an ordinary test in every runtime.
import { assert } from "chai";
import {
  abortable,
  CancelScope,
  deadline,
  moveOnAfter,
  sleep,
  withTimeout,
} from "../src/cancel/mod.ts";
import {
  asCompleted,
  gather,
  race,
  retry,
  shield,
  type Task,
  TaskGroup,
  taskGroup,
  wait,
} from "../src/tasks/mod.ts";
import { Channel, Mutex, Queue, Semaphore } from "../src/sync/mod.ts";
import {
  asyncDisposable,
  contextManager,
  disposable,
} from "../src/dispose/mod.ts";
import { transfer, WorkerPool } from "../src/worker/mod.ts";
import {
  type AsyncOperator,
  chunk,
  concat,
  filter,
  find,
  flatMap,
  fromEvent,
  map,
  merge,
  reduce,
  scan,
  take,
  tee,
  toArray,
  zip,
} from "../src/iter/mod.ts";

/** `true` exactly when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends
  (<X>() => X extends B ? 1 : 2) ? true : false;

/** Compiles only when given `Equal<…>` that holds. */
function expectType<_Check extends true>(_ok: _Check): void {}

Deno.test("types: cancel helpers keep the value type", async () => {
  const timed = await withTimeout(1000, async () => 1);
  expectType<Equal<typeof timed, number>>(true);
  const moved = await moveOnAfter(1000, async () => "x");
  expectType<Equal<typeof moved, string | undefined>>(true);
  const bounded = await deadline(Promise.resolve(true), 1000);
  expectType<Equal<typeof bounded, boolean>>(true);
  const guarded = await abortable(Promise.resolve(2n), undefined);
  expectType<Equal<typeof guarded, bigint>>(true);
  const slept = await sleep(0);
  expectType<Equal<typeof slept, void>>(true);
  using scope = new CancelScope();
  expectType<Equal<typeof scope.signal, AbortSignal>>(true);
  assert.deepEqual([timed, moved, bounded, guarded], [1, "x", true, 2n]);
});

Deno.test("types: a task carries its function's value type", async () => {
  const group = new TaskGroup();
  const task = group.spawn(async () => 42);
  expectType<Equal<typeof task, Task<number>>>(true);
  const value = await task;
  expectType<Equal<typeof value, number>>(true);
  const port = await group.start<number>((_signal, ready) => ready(8080));
  expectType<Equal<typeof port, number>>(true);
  await group.wait();
  const body = await taskGroup(async () => "done");
  expectType<Equal<typeof body, string | undefined>>(true);
  assert.deepEqual([value, port, body], [42, 8080, "done"]);
});

Deno.test("types: combinators infer from every function", async () => {
  const tuple = await gather([async () => 1, async () => "a", () => true]);
  expectType<Equal<typeof tuple, [number, string, boolean]>>(true);
  const list = await gather(new Set([async () => 1]));
  expectType<Equal<typeof list, number[]>>(true);
  const winner = await race([async (signal) => {
    expectType<Equal<typeof signal, AbortSignal>>(true);
    return 1;
  }, async () => "a"]);
  expectType<Equal<typeof winner, number | string>>(true);
  const seen: (number | string)[] = [];
  for await (const value of asCompleted([async () => 1, async () => "a"])) {
    expectType<Equal<typeof value, number | string>>(true);
    seen.push(value);
  }
  const retried = await retry(async () => ({ ok: true }));
  expectType<Equal<typeof retried, { ok: boolean }>>(true);
  const shielded = await shield(async () => 3);
  expectType<Equal<typeof shielded, number>>(true);
  const { done, pending } = await wait([Promise.resolve(1)]);
  expectType<Equal<typeof done, Promise<number>[]>>(true);
  expectType<Equal<typeof pending, Promise<number>[]>>(true);
  assert.deepEqual(tuple, [1, "a", true]);
  assert.include([1, "a"], winner);
  assert.sameMembers(seen, [1, "a"]);
  assert.deepEqual([retried.ok, shielded, list[0]], [true, 3, 1]);
});

Deno.test("types: coordination primitives", async () => {
  const sem = new Semaphore(1);
  const ran = await sem.run((signal) => {
    expectType<Equal<typeof signal, AbortSignal>>(true);
    return Number(!signal.aborted);
  });
  expectType<Equal<typeof ran, number>>(true);
  const locked = await new Mutex().run((signal) => {
    expectType<Equal<typeof signal, AbortSignal>>(true);
    return "held";
  });
  expectType<Equal<typeof locked, string>>(true);
  const queue = new Queue<number>();
  await queue.put(5);
  const item = await queue.get();
  expectType<Equal<typeof item, number>>(true);
  const channel = new Channel<string>({ capacity: 1 });
  await channel.send("hi");
  const message = await channel.receive();
  expectType<Equal<typeof message, string>>(true);
  assert.deepEqual([ran, locked, item, message], [1, "held", 5, "hi"]);
});

Deno.test("types: disposal helpers wrap the value's type", async () => {
  using held = disposable({ id: 1 }, () => {});
  expectType<Equal<typeof held.value, { id: number }>>(true);
  await using asyncHeld = asyncDisposable("conn", async () => {});
  expectType<Equal<typeof asyncHeld.value, string>>(true);
  const open = contextManager(async function* (n: number) {
    yield n * 2;
  });
  await using handle = await open(2);
  expectType<Equal<typeof handle.value, number>>(true);
  assert.deepEqual([held.value.id, asyncHeld.value, handle.value], [
    1,
    "conn",
    4,
  ]);
});

Deno.test("types: iterator operators follow their callbacks", async () => {
  const lengths = map(["a", "bb"], async (s) => s.length);
  expectType<Equal<typeof lengths, AsyncOperator<number>>>(true);
  const numbers = filter(
    [1, "a", 2],
    (x): x is number => typeof x === "number",
  );
  expectType<Equal<typeof numbers, AsyncOperator<number>>>(true);
  const kept = filter([1, 2, 3], (n) => n > 1);
  expectType<Equal<typeof kept, AsyncOperator<number>>>(true);
  const flat = flatMap([1, 2], (n) => [String(n)]);
  expectType<Equal<typeof flat, AsyncOperator<string>>>(true);
  const sums = scan([1, 2], (sum, n) => sum + n, 0);
  expectType<Equal<typeof sums, AsyncOperator<number>>>(true);
  const total = await reduce([1, 2], (sum, n) => sum + n, 0);
  expectType<Equal<typeof total, number>>(true);
  const pairs = zip([1, 2], ["a", "b"]);
  expectType<Equal<typeof pairs, AsyncOperator<[number, string]>>>(true);
  const merged = merge([1], ["a"]);
  expectType<Equal<typeof merged, AsyncOperator<number | string>>>(true);
  const joined = concat([1], ["a"]);
  expectType<Equal<typeof joined, AsyncOperator<number | string>>>(true);
  const batches = chunk(take([1, 2, 3], 2), 2);
  expectType<Equal<typeof batches, AsyncOperator<number[]>>>(true);
  const [left, right] = tee([1], 2);
  expectType<Equal<typeof left, AsyncOperator<number>>>(true);
  const found = await find([1, "a"], (x): x is string => x === "a");
  expectType<Equal<typeof found, string | undefined>>(true);
  const fromAsync = map(
    (async function* () {
      yield 1n;
    })(),
    (n) => n + 1n,
  );
  expectType<Equal<typeof fromAsync, AsyncOperator<bigint>>>(true);
  assert.deepEqual(await toArray(lengths), [1, 2]);
  assert.deepEqual(await toArray(numbers), [1, 2]);
  assert.deepEqual(await toArray(kept), [2, 3]);
  assert.deepEqual(await toArray(flat), ["1", "2"]);
  assert.deepEqual(await toArray(sums), [1, 3]);
  assert.deepEqual(await toArray(pairs), [[1, "a"], [2, "b"]]);
  assert.sameMembers(await toArray(merged), [1, "a"]);
  assert.deepEqual(await toArray(joined), [1, "a"]);
  assert.deepEqual(await toArray(batches), [[1, 2]]);
  assert.deepEqual(await toArray(left), [1]);
  assert.deepEqual(await toArray(right), [1]);
  assert.deepEqual(await toArray(fromAsync), [2n]);
  assert.deepEqual([total, found], [3, "a"]);
});

Deno.test("types: fromEvent gives the target's own event type", async () => {
  // Type-only: DOM element and socket types exist in every lib this compiles
  // with, but the objects exist only in browsers, so this is never called.
  const _typeOnly = (button: HTMLButtonElement, socket: WebSocket) => {
    const clicks = fromEvent(button, "click");
    expectType<
      Equal<typeof clicks, AsyncOperator<HTMLElementEventMap["click"]>>
    >(true);
    const messages = fromEvent(socket, "message");
    expectType<Equal<typeof messages, AsyncOperator<MessageEvent>>>(true);
    const explicit = fromEvent<CustomEvent<number>>(button, "custom");
    expectType<Equal<typeof explicit, AsyncOperator<CustomEvent<number>>>>(
      true,
    );
  };
  const controller = new AbortController();
  const aborts = fromEvent(controller.signal, "abort");
  expectType<Equal<typeof aborts, AsyncOperator<Event>>>(true);
  const target = new EventTarget();
  const plain = fromEvent(target, "ping");
  expectType<Equal<typeof plain, AsyncOperator<Event>>>(true);
  const first = plain.next();
  target.dispatchEvent(new Event("ping"));
  const { value } = await first;
  assert.equal((value as Event).type, "ping");
  await plain.return?.();
  await aborts.return?.();
});

Deno.test("types: worker runs are typed by the caller", async () => {
  // No factory: every run rejects with NotSupportedError, the types hold.
  await using pool = new WorkerPool();
  const hashed = pool.run<string>("hash", new Uint8Array(1));
  expectType<Equal<typeof hashed, Promise<string>>>(true);
  const untyped = pool.run("anything");
  expectType<Equal<typeof untyped, Promise<unknown>>>(true);
  const errors = await Promise.all(
    [hashed, untyped].map((p) => p.catch((e) => e)),
  );
  assert.deepEqual(errors.map((e) => (e as Error).name), [
    "NotSupportedError",
    "NotSupportedError",
  ]);
  const moved = transfer({ bytes: new ArrayBuffer(4) }, []);
  assert.isObject(moved);
});
