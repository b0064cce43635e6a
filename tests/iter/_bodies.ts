// Response bodies tied to a signal, as `fetch` makes them (DESIGN rule 10):
// reading one after its signal aborted rejects. Deno fetches from a
// Deno.serve server on 127.0.0.1, Node and Bun from a node:http one; the
// runtimes without a server in the matrix (browsers, workerd), and a Deno
// run without --allow-net=127.0.0.1, get a Response over a ReadableStream
// that errors when the signal aborts.

/** Opens bodies for one test; close it at the end. */
export interface Bodies {
  /** A response whose body reads `body of <path>`, tied to `signal`. */
  fetch(path: string, signal: AbortSignal): Promise<Response>;
  /** What the body at `path` reads. */
  expected(path: string): string;
  /** Whether the responses come from a real server. */
  readonly real: boolean;
  close(): Promise<void>;
}

const text = (path: string) => `body of ${path}`;

interface NodeServer {
  listen(port: number, host: string, done: () => void): void;
  address(): { port: number };
  close(done: () => void): void;
  closeAllConnections?(): void;
}
interface NodeHttp {
  createServer(
    handler: (req: { url: string }, res: { end(body: string): void }) => void,
  ): NodeServer;
}

/** Starts what this runtime offers. */
export async function openBodies(): Promise<Bodies> {
  if (typeof (Deno as { serve?: unknown }).serve === "function") {
    // The suite grants loopback (tools/test.sh); a run without it streams.
    const net = Deno.permissions.querySync({ name: "net", host: "127.0.0.1" });
    return net.state === "granted" ? denoBodies() : streamBodies();
  }
  const versions =
    (globalThis as { process?: { versions?: { node?: string } } })
      .process?.versions;
  const agent = (globalThis as { navigator?: { userAgent?: string } })
    .navigator?.userAgent ?? "";
  if (versions?.node && !agent.startsWith("Cloudflare")) return nodeBodies();
  return streamBodies();
}

function denoBodies(): Bodies {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => new Response(text(new URL(request.url).pathname)),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    real: true,
    expected: text,
    fetch: (path, signal) => fetch(origin + path, { signal }),
    close: () => server.shutdown(),
  };
}

async function nodeBodies(): Promise<Bodies> {
  // A computed specifier, so the browser bundle does not try to resolve it.
  const name = ["node", "http"].join(":");
  const http = await import(name) as NodeHttp;
  const server = http.createServer((req, res) => res.end(text(req.url)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    real: true,
    expected: text,
    fetch: (path, signal) => fetch(origin + path, { signal }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function streamBodies(): Bodies {
  return {
    real: false,
    expected: text,
    fetch(path, signal) {
      signal.throwIfAborted();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          signal.addEventListener(
            "abort",
            () => controller.error(signal.reason),
            { once: true },
          );
        },
        pull(controller) {
          controller.enqueue(new TextEncoder().encode(text(path)));
          controller.close();
        },
      }, { highWaterMark: 0 }); // nothing is read before the consumer asks
      return Promise.resolve(new Response(body));
    },
    close: () => Promise.resolve(),
  };
}
