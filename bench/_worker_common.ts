// Shared by the benchmark's workers: the port to the parent (a web worker's
// scope, or Node's parentPort) and a CPU-bound function.

interface Port {
  postMessage(message: unknown): void;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
}

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
/** Where messages from the parent arrive and replies go. */
export const port: Port = typeof g.postMessage === "function"
  ? g
  : g.process.getBuiltinModule("node:worker_threads").parentPort;

/** `n` rounds of an integer hash: pure CPU, no allocation. */
export function spin(n: number): number {
  let h = 2166136261;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ i, 16777619);
  return h >>> 0;
}
