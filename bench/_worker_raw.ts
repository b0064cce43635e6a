// The floor of bench/worker.ts: a hand-written worker that answers each
// message with the same message, and the same CPU-bound function.
import { port, spin } from "./_worker_common.ts";

port.addEventListener("message", (event: MessageEvent) => {
  const [kind, value] = event.data as [string, number];
  port.postMessage(kind === "spin" ? spin(value) : value);
});
