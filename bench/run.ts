// Runs every bench/*.bench.ts in turn (each in its own process) and prints their JSON results as one
// JSON array. `npm run bench`; `npm run bench -- sync` runs only the benchmarks whose name contains "sync".
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseBenchOutput } from "./output.ts";

const dir = import.meta.dirname;
const filter = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = (await readdir(dir))
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();

const results: unknown[] = [];
for (const file of files) {
  const started = Date.now();
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    let stdout = "";
    const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, file)], { stdio: ["ignore", "pipe", "inherit"], env: process.env });
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
  const parsed = parseBenchOutput(out.stdout);
  if (out.code !== 0 || parsed.length === 0) results.push({ bench: file, error: `exited with ${out.code}`, seconds: (Date.now() - started) / 1000 });
  else results.push(...parsed);
  console.error(`bench: ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
console.log(JSON.stringify(results, null, 2));
