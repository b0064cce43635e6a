// `node tools/lib/lock_check.mjs <dir>`: exits 0 when <dir>/node_modules
// matches <dir>/package-lock.json (same packages at the same versions, as
// recorded in npm's own node_modules/.package-lock.json), 1 when it is
// missing or stale and `npm ci` is needed. Prints the reason.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? ".";
const read = (path) => JSON.parse(readFileSync(join(dir, path), "utf8"));
const stale = (why) => {
  console.log(`node_modules in ${dir} is stale: ${why}`);
  process.exit(1);
};

if (!existsSync(join(dir, "node_modules", ".package-lock.json"))) {
  stale("not installed");
}
const lock = read("package-lock.json").packages;
const installed = read("node_modules/.package-lock.json").packages;
for (const [path, entry] of Object.entries(lock)) {
  if (path === "") continue;
  const have = installed[path];
  // Optional packages for other platforms are legitimately absent.
  if (!have && !entry.optional) stale(`${path} missing`);
  if (have && have.version !== entry.version) {
    stale(`${path} is ${have.version}, lock says ${entry.version}`);
  }
  if (have && !existsSync(join(dir, path))) stale(`${path} deleted`);
}
for (const path of Object.keys(installed)) {
  if (!(path in lock)) stale(`${path} is not in package-lock.json`);
}
