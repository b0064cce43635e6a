// Host for Node and Bun: `node node.mjs <bundle.js> [testTimeoutMs]`.
// Prints one `##matrix <json>` line per event on stdout. Installs no
// polyfills: the bundle meets the runtime exactly as a user's code would.
import process from "node:process";
import { pathToFileURL } from "node:url";

const [bundlePath, testTimeout] = process.argv.slice(2);
const emit = (event) =>
  process.stdout.write("##matrix " + JSON.stringify(event) + "\n");

let harness;
const early = [];
const uncaught = (kind) => (error) => {
  if (harness) harness.reportUncaught(kind, error);
  else early.push([kind, error]);
};
process.on("unhandledRejection", uncaught("unhandled rejection"));
process.on("uncaughtException", uncaught("uncaught exception"));

try {
  harness = await import(pathToFileURL(bundlePath).href);
} catch (error) {
  emit({ type: "fatal", error: String(error?.stack ?? error) });
  process.exit(2);
}
for (const [kind, error] of early) harness.reportUncaught(kind, error);
await harness.run({ emit, testTimeoutMs: Number(testTimeout) || undefined });
// Leaked timers must not keep the process alive; flush stdout, then leave.
process.stdout.write("", () => process.exit(0));
