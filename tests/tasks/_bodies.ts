// Test-only: response bodies that are still streaming when a combinator
// returns, so a test can tell whether the signal of the request that made
// them was aborted (a fetch body errors when its request's signal aborts).
//
// Where the runtime can serve HTTP (Deno with net permission for
// 127.0.0.1: Deno.serve; Node and Bun: node:http), they come from a real
// loopback server through the real `fetch`. Elsewhere (browsers, workerd)
// a `ReadableStream` tied to the signal the same way stands in.
import { type Deferred, deferred } from "../_helpers/deferred.ts";

/** A source of held-open bodies; see {@linkcode openBodies}. */
export interface Bodies {
  /** "Deno.serve", "node:http" or "ReadableStream". */
  readonly kind: string;
  /**
   * A response whose headers arrive at once and whose body is
   * `head <id>;` now and `tail` once {@linkcode Bodies.release} is called.
   */
  fetch(id: string, signal: AbortSignal): Promise<Response>;
  /** A request that gets no response before `release()`: aborting its signal rejects it. */
  hang(signal: AbortSignal): Promise<Response>;
  /** Lets every body finish (and every hung request answer). */
  release(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

// deno-lint-ignore no-explicit-any
const global = globalThis as any;

/** Opens a {@linkcode Bodies} source for one test. */
export async function openBodies(): Promise<Bodies> {
  const gate = deferred<void>();
  const deno = global.Deno;
  if (
    typeof deno?.serve === "function" &&
    deno.permissions.querySync({ name: "net", host: "127.0.0.1" }).state ===
      "granted"
  ) {
    return await denoServer(gate);
  }
  // workerd with nodejs_compat has `process` too, but cannot serve.
  if (
    typeof global.process?.versions?.node === "string" &&
    global.navigator?.userAgent !== "Cloudflare-Workers"
  ) {
    return await nodeServer(gate);
  }
  return streams(gate);
}

const encoder = new TextEncoder();

// A body that sends `head <id>;`, waits for the gate, then `tail`.
function heldBody(id: string, gate: Promise<void>): ReadableStream {
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(encoder.encode(`head ${id};`));
      await gate;
      controller.enqueue(encoder.encode("tail"));
      controller.close();
    },
  });
}

function fromServer(
  kind: string,
  base: string,
  gate: Deferred<void>,
  stop: () => Promise<void>,
): Bodies {
  return {
    kind,
    fetch: (id, signal) => fetch(`${base}/body/${id}`, { signal }),
    hang: (signal) => fetch(`${base}/hang`, { signal }),
    release: () => gate.resolve(),
    close: () => {
      gate.resolve();
      return stop();
    },
  };
}

async function denoServer(gate: Deferred<void>): Promise<Bodies> {
  const listening = deferred<number>();
  const server = global.Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }: { port: number }) => listening.resolve(port),
    },
    async (request: Request) => {
      const headers = { connection: "close" };
      const path = new URL(request.url).pathname;
      if (path === "/hang") {
        await gate.promise;
        return new Response("late", { headers });
      }
      return new Response(heldBody(path.slice(6), gate.promise), { headers });
    },
  );
  const port = await listening.promise;
  return fromServer(
    "Deno.serve",
    `http://127.0.0.1:${port}`,
    gate,
    () => server.shutdown(),
  );
}

async function nodeServer(gate: Deferred<void>): Promise<Bodies> {
  const name = "node:http"; // not a literal: the browser bundles skip it
  const http = await import(name);
  // deno-lint-ignore no-explicit-any
  const server = http.createServer(async (request: any, response: any) => {
    response.setHeader("connection", "close");
    if (request.url === "/hang") {
      await gate.promise;
      response.end("late");
      return;
    }
    response.write(`head ${request.url.slice(6)};`);
    await gate.promise;
    response.end("tail");
  });
  const listening = deferred<void>();
  server.listen(0, "127.0.0.1", () => listening.resolve());
  await listening.promise;
  return fromServer(
    "node:http",
    `http://127.0.0.1:${server.address().port}`,
    gate,
    () => {
      const closed = deferred<void>();
      server.close(() => closed.resolve());
      server.closeAllConnections();
      return closed.promise;
    },
  );
}

// Bodies that behave as fetch's do towards their signal: aborting it
// errors the stream (and rejects a request still waiting for headers).
function streams(gate: Deferred<void>): Bodies {
  const tie = (body: ReadableStream, signal: AbortSignal) => {
    const reader = body.getReader();
    return new ReadableStream({
      start(controller) {
        const onAbort = () => controller.error(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        const pump = (): Promise<void> =>
          reader.read().then(({ done, value }) => {
            if (signal.aborted) return;
            if (done) {
              signal.removeEventListener("abort", onAbort);
              controller.close();
              return;
            }
            controller.enqueue(value);
            return pump();
          });
        pump();
      },
    });
  };
  return {
    kind: "ReadableStream",
    fetch: async (id, signal) => {
      await null; // a response arrives later, as fetch's does
      signal.throwIfAborted();
      return new Response(tie(heldBody(id, gate.promise), signal));
    },
    hang: (signal) =>
      new Promise<Response>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        gate.promise.then(() => {
          signal.removeEventListener("abort", onAbort);
          resolve(new Response("late"));
        });
      }),
    release: () => gate.resolve(),
    close: () => {
      gate.resolve();
      return Promise.resolve();
    },
  };
}
