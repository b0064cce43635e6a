// The library's ring buffer (src/_deque.ts), behind Queue, Channel and the
// iterator operators that buffer: first in, first out (and last out by pop)
// across the growths that re-lay the ring, checked against an array used as
// a model.
import { assert } from "chai";
import fc from "fast-check";
import { Deque } from "../src/_deque.ts";

Deno.test("Deque: push, at, take, pop and drop agree with an array (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constant(-1), fc.nat(40)), { maxLength: 300 }),
      (ops) => {
        const deque = new Deque<number>();
        const model: number[] = [];
        let next = 0;
        for (const op of ops) {
          if (op === -1) {
            for (let i = 0; i < 5; i++) {
              deque.push(next);
              model.push(next++);
            }
          } else if (op === 0 && model.length > 0) {
            assert.equal(deque.take(), model.shift());
          } else if (op === 1 && model.length > 0) {
            assert.equal(deque.pop(), model.pop());
          } else {
            const count = Math.min(op, model.length);
            deque.drop(count);
            model.splice(0, count);
          }
          assert.equal(deque.size, model.length);
          for (let i = 0; i < model.length; i++) {
            assert.equal(deque.at(i), model[i]);
          }
        }
      },
    ),
  );
});

Deno.test("Deque: a long steady queue keeps its order as the ring wraps", () => {
  const deque = new Deque<number>();
  for (let i = 0; i < 10; i++) deque.push(i);
  for (let i = 10; i < 10_000; i++) {
    deque.push(i);
    assert.equal(deque.take(), i - 10);
  }
  assert.equal(deque.size, 10);
  assert.equal(deque.at(0), 9_990);
  assert.equal(deque.at(9), 9_999);
});
