// `npm run build` (and `prepare`, so `npm ci` builds): compiles src/ and workers/ into dist/
// with tsc, copies the files the code reads beside itself, then stamps the build. The stamp is
// written last, so bin/newswatch.js never takes a half-written dist/ for a finished one.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
  cwd: root,
  stdio: "inherit",
});
cpSync(path.join(root, "src/http/assets"), path.join(dist, "src/http/assets"), {
  recursive: true,
});
// The shipped concept lists, parsed once here instead of in every process (see
// COMPILED_LISTS). A broken list writes no JSON: newswatch then reads the YAML and reports
// the file and line itself.
const { compileLists } = await import(path.join(dist, "src/config/shipped-lists.js"));
try {
  compileLists();
} catch (err) {
  console.warn(`build: concept lists not compiled: ${err.problems?.join("; ") ?? err.message}`);
}
writeFileSync(path.join(dist, "BUILT"), `${new Date().toISOString()}\n`);
