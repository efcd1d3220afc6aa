// Started by `npm start`: the app ends with its launcher (killed outright, it cannot stop us), whose
// embedded database and simulator are gone; an orphan would only log connection errors, into a closed
// pipe, in a loop.

/** Exits once the launcher named by PARLEY_LAUNCHER_PID is gone; does nothing without it. */
export function endWithLauncher() {
  const launcher = Number(process.env.PARLEY_LAUNCHER_PID);
  if (!launcher) return;
  // Our parent is the launcher, or under `next dev` a child of it: gone when either is (a killed
  // parent's children are handed to another), or when the launcher no longer exists.
  const parent = process.ppid;
  setInterval(() => (process.ppid !== parent || !alive(launcher)) && process.exit(1), 1000).unref();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
