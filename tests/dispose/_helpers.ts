// Small assertions shared by the dispose tests.
import { assert } from "chai";

/** What `promise` rejects with; fails the test if it fulfils. */
export async function rejection(
  promise: PromiseLike<unknown>,
): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

/** What `fn` throws; fails the test if it returns. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}

/**
 * Asserts what the spec gives a stack class: its name, a prototype of its own
 * methods straight on Object.prototype, `key` the same function as `method`
 * (writable), a read-only tag, and no own instance properties.
 */
export function assertStackShape(
  Stack: { new (): object; prototype: object; name: string },
  method: string,
  key: symbol,
): void {
  const proto = Stack.prototype as Record<PropertyKey, unknown>;
  assert.strictEqual(Object.getPrototypeOf(proto), Object.prototype);
  assert.sameMembers(Object.getOwnPropertyNames(proto), [
    "constructor",
    "adopt",
    "defer",
    method,
    "disposed",
    "move",
    "use",
  ]);
  assert.equal((proto[method] as () => void).name, method);
  assert.strictEqual(proto[key], proto[method]);
  assert.deepInclude(Object.getOwnPropertyDescriptor(proto, key), {
    writable: true,
    enumerable: false,
    configurable: true,
  });
  assert.deepInclude(
    Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag),
    {
      value: Stack.name,
      writable: false,
      enumerable: false,
      configurable: true,
    },
  );
  assert.deepEqual(Object.keys(new Stack()), []);
}

/** Asserts that each method of the disposed `stack` throws the spec's ReferenceError, naming `tag.method`. */
export function assertDisposedErrors(
  stack: {
    use(value: null): unknown;
    adopt(value: number, fn: () => void): unknown;
    defer(fn: () => void): unknown;
    move(): unknown;
  },
  tag: string,
): void {
  const calls: [string, () => unknown][] = [
    ["use", () => stack.use(null)],
    ["adopt", () => stack.adopt(1, () => {})],
    ["defer", () => stack.defer(() => {})],
    ["move", () => stack.move()],
  ];
  for (const [name, call] of calls) {
    const error = thrown(call) as Error;
    assert.instanceOf(error, ReferenceError);
    assert.equal(
      error.message,
      `${tag}.${name}: the stack is already disposed`,
    );
  }
}
