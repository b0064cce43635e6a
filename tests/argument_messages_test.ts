import { assert } from "chai";
import { sleep } from "../src/cancel/mod.ts";

// How an argument error shows the value it got, one kind at a time, through
// a public function (every check renders values the same way).
Deno.test("argument errors show the value received, by kind", () => {
  const cases: [unknown, string][] = [
    ["5", '"5"'],
    [null, "null"],
    [undefined, "undefined"],
    [true, "true"],
    [10n, "10"],
    [Symbol("nap"), "Symbol(nap)"],
    [() => 1, "a function"],
    [[1], "an array"],
    [{ ms: 1 }, "a value of type object"],
  ];
  for (const [value, shown] of cases) {
    assert.throws(
      () => sleep(value as number),
      TypeError,
      `sleep: ms must be a number of milliseconds, got ${shown}`,
    );
  }
  assert.throws(() => sleep(NaN), RangeError, "got NaN");
  assert.throws(() => sleep(-1), RangeError, "got -1");
});
