#!/usr/bin/env node
// The JS a judge's phone downloads, counted as it travels: the entry (shell) with its static
// imports, plus the public chunk (login) and the judge chunk with theirs. The server sends the
// build's precompressed copies (frontend/scripts/precompress.mjs, kipp.static): brotli where the
// browser offers it (Chromium does over HTTPS), gzip otherwise (plain HTTP). The budget holds
// for the larger, gzip, so it holds for either. Fails when over the budget, or when the build
// has no precompressed copy of a chunk (the server would then send it uncompressed).
// Usage: node bench/judge-bundle-budget.mjs [--budget-kb 90] [--json]   (npm --prefix frontend run budget)
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "frontend");
const dist = join(root, "dist");
const args = process.argv.slice(2);
const budgetArg = args.indexOf("--budget-kb");
const budgetKb = budgetArg >= 0 ? Number(args[budgetArg + 1]) : 90;
const asJson = args.includes("--json");

// The lazily loaded role modules a judge needs (see src/router/routes.ts).
const JUDGE_ROUTE_MODULES = [
  "src/views/public/index.ts",
  "src/views/judge/index.ts",
];
// Must never be reachable for a judge.
const FORBIDDEN_MODULES = [
  "src/views/admin/index.ts",
  "src/views/innovator/index.ts",
];

let manifest;
try {
  manifest = JSON.parse(
    readFileSync(join(dist, ".vite", "manifest.json"), "utf8"),
  );
} catch (error) {
  console.error(
    `bundle-budget: cannot read dist/.vite/manifest.json (run \`npm run build\` first): ${error.message}`,
  );
  process.exit(2);
}

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length !== 1) {
  console.error(
    `bundle-budget: expected one entry chunk, found ${entries.length}`,
  );
  process.exit(2);
}

/** Manifest keys reachable through static imports from `starts`. */
function staticClosure(starts) {
  const seen = new Set();
  const stack = [...starts];
  while (stack.length) {
    const key = stack.pop();
    if (seen.has(key)) continue;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`bundle-budget: ${key} is not in the manifest`);
    seen.add(key);
    stack.push(...(chunk.imports ?? []));
  }
  return seen;
}

for (const key of JUDGE_ROUTE_MODULES) {
  if (!manifest[key]) {
    console.error(
      `bundle-budget: route module ${key} is missing from the manifest`,
    );
    process.exit(2);
  }
}

const judgeKeys = staticClosure([entries[0][0], ...JUDGE_ROUTE_MODULES]);
const leaked = FORBIDDEN_MODULES.filter((key) => judgeKeys.has(key));
if (leaked.length) {
  console.error(`bundle-budget: a judge would download ${leaked.join(", ")}`);
  process.exit(1);
}

const missing = [];
/** Bytes of the precompressed copy the server sends (kipp.static). */
function served(file, suffix) {
  const path = join(dist, file + suffix);
  if (!existsSync(path)) {
    missing.push(file + suffix);
    return 0;
  }
  return readFileSync(path).length;
}

const rows = [...judgeKeys]
  .map((key) => {
    const file = manifest[key].file;
    const raw = readFileSync(join(dist, file)).length;
    return {
      chunk: key,
      file,
      raw,
      gzip: served(file, ".gz"),
      brotli: served(file, ".br"),
    };
  })
  .sort((a, b) => b.gzip - a.gzip);
if (missing.length) {
  console.error(
    `bundle-budget: no precompressed copy of ${missing.join(", ")} (run \`npm run build\`)`,
  );
  process.exit(2);
}

const totalGzip = rows.reduce((sum, row) => sum + row.gzip, 0);
const totalBrotli = rows.reduce((sum, row) => sum + row.brotli, 0);
const totalRaw = rows.reduce((sum, row) => sum + row.raw, 0);
const budget = budgetKb * 1024;
const ratio = totalGzip / budget;
const ok = totalGzip <= budget;

if (asJson) {
  console.log(
    JSON.stringify(
      {
        budget_bytes: budget,
        gzip_bytes: totalGzip,
        brotli_bytes: totalBrotli,
        raw_bytes: totalRaw,
        ratio,
        ok,
        chunks: rows,
      },
      null,
      2,
    ),
  );
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const row of rows)
    console.log(
      `  ${row.file.padEnd(40)} ${kb(row.raw).padStart(10)} raw ${kb(row.gzip).padStart(9)} gzip ${kb(row.brotli).padStart(9)} br`,
    );
  console.log(
    `judge JS (shell + login + judge screens) as served: ${kb(totalBrotli)} brotli (HTTPS), ` +
      `${kb(totalGzip)} gzip (HTTP) of ${budgetKb} KB budget = ${(ratio * 100).toFixed(1)}% ${ok ? "OK" : "OVER BUDGET"}`,
  );
}
process.exit(ok ? 0 : 1);
