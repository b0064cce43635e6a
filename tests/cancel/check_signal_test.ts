// DESIGN rule 7: every `signal` option is a real AbortSignal or a TypeError at
// the call naming the function the user called; a look-alike is never used.
import { assert } from "chai";
import {
  abortable,
  CancelScope,
  deadline,
  linkSignals,
  sleep,
  withTimeout,
  yieldNow,
} from "../../src/cancel/mod.ts";
import { race, TaskGroup, taskGroup } from "../../src/tasks/mod.ts";
import { Channel, Queue, Semaphore } from "../../src/sync/mod.ts";
import { map, toArray } from "../../src/iter/mod.ts";

// Objects that pass any duck-typed check of an AbortSignal.
function lookAlikes(): unknown[] {
  // (A Proxy of a real signal is left out: Deno's JavaScript brand check
  // sees through it, V8's native one does not.)
  return [
    { aborted: false, reason: undefined, addEventListener() {} },
    Object.create(AbortSignal.prototype),
    new EventTarget(),
    new AbortController(),
    null,
    "signal",
  ];
}

function throwsTypeError(call: () => unknown, where: string): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  assert.instanceOf(error, TypeError);
  assert.include((error as Error).message, `${where}: signal`);
}

const never = new Promise<never>(() => {});

const calls: [string, (signal: unknown) => unknown][] = [
  ["sleep", (signal) => sleep(10, { signal } as never)],
  ["yieldNow", (signal) => yieldNow({ signal } as never)],
  ["withTimeout", (signal) => withTimeout(10, () => 1, { signal } as never)],
  ["deadline", (signal) => deadline(never, 10, { signal } as never)],
  ["abortable", (signal) => abortable(never, signal as never)],
  ["CancelScope", (signal) => new CancelScope({ signal } as never)],
  ["TaskGroup", (signal) => new TaskGroup({ signal } as never)],
  ["taskGroup", (signal) => taskGroup(() => 1, { signal } as never)],
  ["race", (signal) => race([() => 1], { signal } as never)],
  [
    "Semaphore.acquire",
    (signal) => new Semaphore(1).acquire({ signal } as never),
  ],
  [
    "Semaphore.run",
    (signal) => new Semaphore(1).run(() => 1, { signal } as never),
  ],
  ["Queue.get", (signal) => new Queue().get({ signal } as never)],
  ["Channel.send", (signal) => new Channel().send(1, { signal } as never)],
  ["map", (signal) => map([1], (x) => x, { signal } as never)],
  ["toArray", (signal) => toArray([1], { signal } as never)],
];

Deno.test("a look-alike signal is a TypeError at the call, naming the function", () => {
  for (const [where, call] of calls) {
    for (const fake of lookAlikes()) {
      throwsTypeError(() => call(fake), `${where}`);
    }
  }
});

Deno.test("linkSignals names the position of a look-alike", () => {
  const real = new AbortController().signal;
  let error: unknown;
  try {
    linkSignals(real, { aborted: false, addEventListener() {} } as never);
  } catch (e) {
    error = e;
  }
  assert.instanceOf(error, TypeError);
  assert.include((error as Error).message, "linkSignals: signals[1]");
});

Deno.test("a look-alike is never read: its getters are not called", () => {
  const touched: string[] = [];
  const fake = {
    get aborted() {
      touched.push("aborted");
      return false;
    },
    addEventListener() {
      touched.push("addEventListener");
    },
  };
  throwsTypeError(() => sleep(10, { signal: fake } as never), "sleep");
  assert.deepEqual(touched, []);
});

Deno.test("real signals of every kind are accepted", async () => {
  const why = new Error("already");
  for (
    const signal of [
      AbortSignal.abort(why),
      AbortSignal.any([AbortSignal.abort(why)]),
    ]
  ) {
    assert.strictEqual(await sleep(10, { signal }).catch((e) => e), why);
  }
  const timeout = AbortSignal.timeout(0);
  const error = await sleep(10_000, { signal: timeout }).catch((e) => e);
  assert.equal(error.name, "TimeoutError");
  using scope = new CancelScope({ signal: new AbortController().signal });
  assert.isFalse(scope.signal.aborted);
});

Deno.test("taskGroup's own argument errors name taskGroup, TaskGroup's name TaskGroup", () => {
  const message = (call: () => unknown) => {
    try {
      call();
    } catch (e) {
      return (e as Error).message;
    }
    assert.fail("did not throw");
  };
  assert.match(
    message(() => taskGroup(() => 1, { limit: 0 })),
    /^taskGroup: limit/,
  );
  assert.match(
    message(() => taskGroup(() => 1, 5 as never)),
    /^taskGroup: options/,
  );
  assert.match(message(() => new TaskGroup({ limit: 0 })), /^TaskGroup: limit/);
});
