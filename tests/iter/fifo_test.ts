// The buffering operators' queue (src/iter/_fifo.ts): first in, first out
// across the compactions that cut off what was read, checked against an
// array used as a model.
import { assert } from "chai";
import fc from "fast-check";
import { Fifo } from "../../src/iter/_fifo.ts";

Deno.test("Fifo: push, at, shift and drop agree with an array (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constant(-1), fc.nat(40)), { maxLength: 300 }),
      (ops) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        let next = 0;
        for (const op of ops) {
          if (op === -1) {
            for (let i = 0; i < 5; i++) {
              fifo.push(next);
              model.push(next++);
            }
          } else if (op === 0 && model.length > 0) {
            assert.equal(fifo.shift(), model.shift());
          } else {
            const count = Math.min(op, model.length);
            fifo.drop(count);
            model.splice(0, count);
          }
          assert.equal(fifo.size, model.length);
          for (let i = 0; i < model.length; i++) {
            assert.equal(fifo.at(i), model[i]);
          }
        }
      },
    ),
  );
});

Deno.test("Fifo: a long steady queue keeps its order through compactions", () => {
  const fifo = new Fifo<number>();
  for (let i = 0; i < 10; i++) fifo.push(i);
  for (let i = 10; i < 10_000; i++) {
    fifo.push(i);
    assert.equal(fifo.shift(), i - 10);
  }
  assert.equal(fifo.size, 10);
  assert.equal(fifo.at(0), 9_990);
  assert.equal(fifo.at(9), 9_999);
});
