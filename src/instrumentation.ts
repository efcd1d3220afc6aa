// Runs once when a Next.js server process starts: background workers (webhook processing, sync).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // Started by `npm start`: end with the launcher (killed outright, it cannot stop us), whose embedded database and
  // simulator are gone; an orphan would only log connection errors, into a closed pipe, in a loop.
  const launcher = Number(process.env.PARLEY_LAUNCHER_PID);
  if (launcher) setInterval(() => process.ppid !== launcher && process.exit(1), 1000).unref();
  const { startBackground } = await import("./server/jobs/start");
  await startBackground();
}
