// Builds the npm package the way JSR's npm compatibility layer shapes it:
// one ESM .js and one .d.ts per module (relative `.ts` imports rewritten to
// `.js`), and a package.json whose `exports` has "." and every subpath in
// deno.json, each with `types` and `default` conditions, plus the README and
// LICENSE. Output: out/npm/package/. Type errors are the publish gate's business; this only
// needs the emit (`noCheck`).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const npmDir = join(root, "out", "npm");
/** Files copied from the repository root into the package as they are. */
export const SHIPPED_DOCS = ["README.md", "LICENSE"];
const pkgDir = join(npmDir, "package");
const tsc = join(root, "node_modules", ".bin", "tsc");

export function buildPackage() {
  const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
  rmSync(npmDir, { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  const entries = Object.values(deno.exports).map((p) => join(root, p));
  const tsconfig = join(npmDir, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        declaration: true,
        rewriteRelativeImportExtensions: true,
        allowImportingTsExtensions: true,
        noCheck: true,
        strict: true,
        lib: ["esnext", "dom"],
        types: [],
        rootDir: root,
        outDir: pkgDir,
      },
      files: entries,
    }),
  );
  execFileSync(tsc, ["-p", tsconfig], { stdio: "inherit", timeout: 120_000 });

  const toJs = (p) => p.replace(/\.ts$/, ".js");
  const exports = {};
  for (const [subpath, file] of Object.entries(deno.exports)) {
    exports[subpath] = {
      types: file.replace(/\.ts$/, ".d.ts"),
      default: toJs(file),
    };
  }
  writeFileSync(
    join(pkgDir, "package.json"),
    JSON.stringify(
      {
        name: deno.name,
        version: deno.version,
        license: deno.license,
        type: "module",
        sideEffects: false,
        exports,
        dependencies: {},
      },
      null,
      2,
    ) + "\n",
  );
  for (const file of SHIPPED_DOCS) {
    writeFileSync(join(pkgDir, file), readFileSync(join(root, file)));
  }
  return { pkgDir, exports };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { pkgDir } = buildPackage();
  console.log(`built ${pkgDir}`);
}
