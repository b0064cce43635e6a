import { assert } from "chai";
import { isAbortError, isTimeoutError } from "../../src/cancel/mod.ts";

Deno.test("isAbortError and isTimeoutError recognise errors by name", () => {
  assert.isTrue(isAbortError(new DOMException("x", "AbortError")));
  assert.isTrue(isTimeoutError(new DOMException("x", "TimeoutError")));
  const named = Object.assign(new Error("x"), { name: "AbortError" });
  assert.isTrue(isAbortError(named));
  assert.isFalse(isAbortError(new Error("AbortError")));
  assert.isFalse(isTimeoutError(new DOMException("x", "AbortError")));
  for (const value of [undefined, null, "AbortError", 1, {}]) {
    assert.isFalse(isAbortError(value));
    assert.isFalse(isTimeoutError(value));
  }
});

Deno.test("AbortSignal.timeout's reason is a TimeoutError too", async () => {
  const signal = AbortSignal.timeout(1);
  await new Promise((resolve) =>
    signal.addEventListener("abort", resolve, { once: true })
  );
  assert.isTrue(isTimeoutError(signal.reason));
});
