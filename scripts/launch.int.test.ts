// `npm start` from a clean shell, end to end: it builds when needed, says again where the app is and how to sign
// in once the app answers (after the build log), and the built app serves its icons and web app manifest.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "parley-start-"));
let child: ChildProcess;
let base = "";
let stdout = "";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  const [port, simPort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/launch.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PARLEY_DATA_DIR: dataDir,
      PORT: String(port),
      SIMULATOR_PORT: String(simPort),
      HOSTNAME: "127.0.0.1",
    } as unknown as NodeJS.ProcessEnv,
  });
  // The last of stderr, for the error if the launcher exits early (a failed build says why there).
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d;
      if (stdout.includes("Parley is ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the launcher exited (${code}) before the app answered:\n${stdout}\n--- stderr ---\n${stderr}`)));
  });
}, 600_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("npm start", () => {
  it("prints the URL and the demo login again once the app answers, below the build and start logs", () => {
    const port = new URL(base).port;
    const ready = stdout.lastIndexOf(`Parley is ready: http://localhost:${port}  ·  demo login admin@parley.local / parley-demo`);
    expect(ready, stdout).toBeGreaterThan(stdout.indexOf("Parley is starting"));
    expect(stdout.indexOf("Parley is starting")).toBeGreaterThan(stdout.indexOf("• Demo login"));
  });

  it("serves the web app manifest with the app's name, colours and icons", async () => {
    const res = await fetch(`${base}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { name: string; short_name: string; theme_color: string; icons: { src: string; sizes: string }[] };
    expect(manifest).toMatchObject({ name: "Parley", short_name: "Parley", theme_color: "#254dac", background_color: "#ffffff" });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons) expect((await fetch(`${base}${icon.src}`)).status, icon.src).toBe(200);
  });

  it("serves PNG icons of the sizes they claim, the favicon, and links them from every page", async () => {
    for (const [file, size] of [["/apple-touch-icon.png", 180], ["/icon-192.png", 192], ["/icon-512.png", 512]] as const) {
      const res = await fetch(`${base}${file}`);
      expect(res.headers.get("content-type"), file).toBe("image/png");
      const png = Buffer.from(await res.arrayBuffer());
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], file).toEqual([size, size]);
    }
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(200);
    expect((await fetch(`${base}/icon.svg`)).headers.get("content-type")).toMatch(/^image\/svg\+xml/);

    const html = await (await fetch(`${base}/login`)).text();
    expect(html).toMatch(/<link rel="manifest" href="\/manifest.webmanifest"/);
    expect(html).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon.png" sizes="180x180"/);
    expect(html).toMatch(/<link rel="icon" href="\/icon.svg" type="image\/svg\+xml"/);
  });

  // Last: it ends the app. The launcher (tsx's child) killed outright cannot stop the app itself.
  it("stops the app when the launcher is killed outright, leaving no orphan behind", async () => {
    const launcher = childrenOf(child.pid!)[0]!;
    const app = childrenOf(launcher).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("next"))!;
    expect(app).toBeTruthy();
    process.kill(launcher, "SIGKILL");
    await expect.poll(() => existsSync(`/proc/${app}`) && !readFileSync(`/proc/${app}/stat`, "utf8").includes(") Z "), { timeout: 15_000 }).toBe(false);
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  });
});

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}
