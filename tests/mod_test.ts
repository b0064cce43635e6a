import { assert } from "chai";
import * as all from "../mod.ts";
import * as cancel from "../src/cancel/mod.ts";
import * as dispose from "../src/dispose/mod.ts";
import * as inspect from "../src/inspect/mod.ts";
import * as iter from "../src/iter/mod.ts";
import * as sync from "../src/sync/mod.ts";
import * as tasks from "../src/tasks/mod.ts";
import * as testing from "../src/testing/mod.ts";

const areas = { cancel, dispose, inspect, iter, sync, tasks };

// Where the runtime has them, these *are* the globals (DESIGN §3 sync).
const ponyfills = new Set([
  "AsyncDisposableStack",
  "DisposableStack",
  "SuppressedError",
]);

Deno.test("mod.ts re-exports every area's exports", () => {
  for (const [area, exports] of Object.entries(areas)) {
    for (const [name, value] of Object.entries(exports)) {
      assert.strictEqual(
        (all as Record<string, unknown>)[name],
        value,
        `${area}.${name}`,
      );
    }
  }
});

Deno.test("mod.ts does not re-export testing (a subpath only)", () => {
  for (const name of Object.keys(testing)) {
    assert.notProperty(all, name, `testing.${name}`);
  }
  assert.property(testing, "TestClock");
});

// `find` keeps its TC39 iterator-helper name although browsers have a
// legacy, non-standard `window.find` (text search in the page): the DESIGN
// asks for both, and a module import cannot be confused with that method.
const tolerated = new Set(["find"]);

Deno.test("no public name shadows a global of this runtime", () => {
  for (const name of Object.keys(all)) {
    if (ponyfills.has(name) || tolerated.has(name)) continue;
    assert.isFalse(name in globalThis, `${name} is a global here`);
  }
});

Deno.test("the disposal ponyfills are the globals where the runtime has them", () => {
  const globals = globalThis as Record<string, unknown>;
  for (const name of ponyfills) {
    if (name in globalThis) {
      assert.strictEqual(
        (all as Record<string, unknown>)[name],
        globals[name],
        name,
      );
    }
  }
});

// The disposal methods are installed on the prototype at the first
// construction (src/_symbols.ts defineMethod), not written as computed class
// keys: they must still look like class methods and add nothing to instances.
Deno.test("disposal methods live on the prototype, like class methods", async () => {
  const dispose = Symbol.dispose ?? Symbol.for("Symbol.dispose");
  const asyncDispose = Symbol.asyncDispose ??
    Symbol.for("Symbol.asyncDispose");
  const semaphore = new sync.Semaphore(1);
  const permit = await semaphore.acquire();
  const link = cancel.linkSignals();
  const instances: [object, symbol][] = [
    [new tasks.TaskGroup(), asyncDispose],
    [new cancel.CancelScope(), dispose],
    [new sync.Channel(), asyncDispose],
    [link, dispose],
    [permit, dispose],
    [iter.map([1], (x) => x), asyncDispose],
  ];
  for (const [instance, key] of instances) {
    const name = instance.constructor.name;
    assert.deepEqual(Object.getOwnPropertySymbols(instance), [], name);
    const descriptor = Object.getOwnPropertyDescriptor(
      findOwner(instance, key),
      key,
    );
    assert.typeOf(descriptor?.value, "function", name);
    assert.isFalse(descriptor?.enumerable, name);
    assert.isTrue(descriptor?.writable && descriptor.configurable, name);
  }
  for (const [instance, key] of instances) {
    await (instance as Record<symbol, () => unknown>)[key]();
  }
});

function findOwner(object: object, key: symbol): object {
  for (let o = object; o; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, key)) return o;
  }
  throw new Error(`no ${String(key)}`);
}
