// Runs once when a Next.js server process starts: background workers (webhook processing, sync).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  (await import("./server/jobs/launcher-watch")).endWithLauncher();
  const { startBackground } = await import("./server/jobs/start");
  await startBackground();
}
