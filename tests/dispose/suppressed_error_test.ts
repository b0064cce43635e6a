import { assert } from "chai";
import {
  SuppressedError,
  type SuppressedErrorConstructor,
} from "../../src/dispose/mod.ts";
import { SuppressedErrorPonyfill } from "../../src/dispose/_suppressed_error_ponyfill.ts";

// The ponyfill is tested everywhere; the native class, where present, runs
// the same checks so the two cannot drift apart. Where it is missing its
// tests are ignored, so every runtime lists the same tests.
const native = (globalThis as { SuppressedError?: SuppressedErrorConstructor })
  .SuppressedError;
const implementations: [
  string,
  SuppressedErrorConstructor,
  { ignore: boolean },
][] = [
  ["ponyfill", SuppressedErrorPonyfill, { ignore: false }],
  ["native", native ?? SuppressedErrorPonyfill, { ignore: !native }],
];

Deno.test("SuppressedError is the native class where there is one", () => {
  assert.strictEqual(SuppressedError, native ?? SuppressedErrorPonyfill);
});

for (const [kind, Suppressed, options] of implementations) {
  Deno.test(`SuppressedError (${kind})`, options, async (t) => {
    await t.step("holds error and suppressed as hidden own properties", () => {
      const error = new Error("later");
      const suppressed = new Error("earlier");
      const e = new Suppressed(error, suppressed, "both failed");
      assert.strictEqual(e.error, error);
      assert.strictEqual(e.suppressed, suppressed);
      assert.equal(e.message, "both failed");
      for (const key of ["error", "suppressed", "message"]) {
        const descriptor = Object.getOwnPropertyDescriptor(e, key);
        assert.isFalse(descriptor?.enumerable, key);
        assert.isTrue(descriptor?.writable, key);
        assert.isTrue(descriptor?.configurable, key);
      }
      assert.deepEqual(Object.keys(e), []);
    });

    await t.step("is an Error named SuppressedError with a stack", () => {
      const e = new Suppressed(1, 2, "m");
      assert.instanceOf(e, Error);
      assert.instanceOf(e, Suppressed);
      assert.equal(e.name, "SuppressedError");
      assert.isFalse(Object.hasOwn(e, "name"));
      assert.equal(Object.prototype.toString.call(e), "[object Error]");
      assert.isString(e.stack);
      assert.equal(String(e), "SuppressedError: m");
    });

    await t.step("has no own message when none is given", () => {
      const e = new Suppressed(undefined, undefined);
      assert.isFalse(Object.hasOwn(e, "message"));
      assert.equal(e.message, "");
      assert.isTrue(Object.hasOwn(e, "error"));
      assert.isUndefined(e.error);
    });

    await t.step("converts a message to a string", () => {
      const e = new Suppressed(1, 2, 42 as unknown as string);
      assert.strictEqual(e.message, "42");
    });
  });
}
