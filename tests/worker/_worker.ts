// The worker module the WorkerPool tests start (Deno loads it as is; the
// matrix bundles it). Besides the
// pool's protocol it posts "notes" ({ note, id }) the test's factory hears,
// and waits for { release: true } where a test holds a run open.
import { serve, transfer } from "../../src/worker/mod.ts";

type Port = {
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
};
// deno-lint-ignore no-explicit-any
const node = (globalThis as any).process?.getBuiltinModule?.(
  "node:worker_threads",
);
// A web worker's scope posts to its parent; in Node, parentPort does.
const port: Port = typeof (globalThis as { postMessage?: unknown })
    .postMessage === "function"
  ? globalThis as unknown as Port
  : node.parentPort;

const id = Math.random().toString(36).slice(2);
const note = (what: string) => port.postMessage({ note: what, id });

let release: () => void = () => {};
port.addEventListener("message", (event) => {
  if ((event.data as { release?: boolean })?.release) release();
});

class ParseError extends Error {
  override name = "ParseError";
}

let lastAbort: unknown = null;

serve({
  echo: (value: unknown) => value,
  whoami: () => id,
  async double(n: number) {
    await Promise.resolve();
    return n * 2;
  },
  hold() {
    note("started");
    return new Promise<string>((resolve) => {
      release = () => {
        note("finished");
        resolve(id);
      };
    });
  },
  wait(_: unknown, { signal }: { signal: AbortSignal }) {
    note("started");
    return new Promise((_, reject) => {
      signal.addEventListener("abort", () => {
        const reason = signal.reason as Error;
        lastAbort = { name: reason.name, message: reason.message };
        reject(reason);
      });
    });
  },
  lastAbort: () => lastAbort,
  spin() {
    note("started");
    // Stuck until terminated; bounded so a broken pool cannot hang forever.
    const until = Date.now() + 60_000;
    while (Date.now() < until) { /* busy */ }
    return "spun out";
  },
  throwType(message: string) {
    throw new TypeError(message, { cause: new RangeError("inner") });
  },
  throwCustom() {
    throw new ParseError("bad input", { cause: { line: 3 } });
  },
  throwDOM: () => Promise.reject(new DOMException("too slow", "TimeoutError")),
  throwAggregate() {
    throw new AggregateError([new TypeError("a"), "b"], "both");
  },
  throwString() {
    throw "just a string";
  },
  returnFunction: () => () => {},
  crash() {
    setTimeout(() => {
      throw new Error("kaboom");
    });
    return new Promise(() => {});
  },
  exit() {
    // A web worker closes itself (Bun's has no close()); Node's exits.
    const scope = globalThis as { close?: () => void };
    if (typeof scope.close === "function") scope.close();
    // deno-lint-ignore no-explicit-any
    else (globalThis as any).process.exit(3);
    return new Promise(() => {});
  },
  fill(bytes: Uint8Array) {
    const doubled = new Uint8Array(bytes.length * 2).fill(bytes[0]);
    return transfer({ doubled, received: bytes.length }, [doubled.buffer]);
  },
}, { port: port as never });
