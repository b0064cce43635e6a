// `node tools/lib/portability.mjs`: src/ must run unchanged on every
// runtime, so its code (comments and JSDoc examples stripped first, since
// those may show user code) may not name `Deno.`, `process`, `Bun.`, import
// `node:` modules, declare with `using` / `await using`, or construct a
// `Worker` (the user's factory does, so bundlers see the worker's URL).
// Prints each violation as file:line: text; exits 1 if there is any.
import { transformSync } from "esbuild";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const rules = [
  [/\bDeno\s*\./, "Deno.* API"],
  [/(?<![\w$.])process\b/, "process"],
  [/\bBun\s*\./, "Bun.* API"],
  [/["'`]node:/, "node: import"],
  [/(?<![\w$.])(await\s+)?using\s+[\w$]+\s*=/, "using declaration"],
  [/\bnew\s+Worker\b/, "new Worker"],
];

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|tsx|js|mjs|mts)$/.test(name)) files.push(path);
  }
};
walk(join(root, "src"));

let violations = 0;
for (const file of files) {
  const source = readFileSync(file, "utf8");
  // Minified whitespace: esbuild drops every comment, and the types.
  const { code } = transformSync(source, {
    loader: "ts",
    target: "esnext", // keeps `using` as written
    minifyWhitespace: true,
    legalComments: "none",
  });
  for (const [pattern, what] of rules) {
    const global = new RegExp(pattern.source, "g");
    for (const match of code.matchAll(global)) {
      violations++;
      const snippet = code.slice(
        Math.max(0, match.index - 30),
        match.index + 50,
      )
        .replaceAll("\n", " ");
      console.log(`${relative(root, file)}: ${what}: …${snippet}…`);
    }
  }
}
console.log(
  `portability: checked ${files.length} files in src/, ${violations} violation(s)`,
);
process.exit(violations ? 1 : 0);
