// Host for workerd: GET / runs the bundled tests and streams one
// `##matrix <json>` line per event as the response body.
import { reportUncaught, run } from "./bundle.js";

globalThis.addEventListener?.("unhandledrejection", (event) => {
  reportUncaught("unhandled rejection", event.reason);
  event.preventDefault?.();
});
globalThis.addEventListener?.("error", (event) => {
  reportUncaught("uncaught error", event.error ?? event.message);
});

export default {
  fetch(request, _env, ctx) {
    const testTimeoutMs =
      Number(new URL(request.url).searchParams.get("timeout")) || undefined;
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const emit = (event) => {
      writer.write(encoder.encode("##matrix " + JSON.stringify(event) + "\n"));
    };
    const done = run({ emit, testTimeoutMs }).catch((error) => {
      emit({ type: "fatal", error: String(error?.stack ?? error) });
    }).finally(() => writer.close());
    ctx.waitUntil(done);
    return new Response(readable, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
