// Keeps two processes from opening one embedded PGlite data directory at once: PGlite has no lock of its
// own, and two writers on the same files corrupt them. A pid file marks the owner; a stale one is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LOCK_FILE_NAME = "defguard-core.pid";

/** Lock files this process holds: a second open in the same process is refused too. */
const heldByThisProcess = new Set<string>();

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid}; stop that process first, ` +
        `or use PostgreSQL (DEFGUARD_DB_HOST) so that several processes can share the database`,
    );
    this.name = "DataDirInUseError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Marks `dataDir` (created if missing) as ours and returns the function that releases it.
 * Throws DataDirInUseError when another live process holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  if (heldByThisProcess.has(path)) throw new DataDirInUseError(dataDir, process.pid);
  try {
    writeFileSync(path, String(process.pid), { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const owner = readOwner(path);
    // Our own pid in the file is a leftover of a previous run in a fresh PID namespace (a container's PID 1).
    if (owner !== null && owner !== process.pid && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    writeFileSync(path, String(process.pid));
  }
  heldByThisProcess.add(path);
  return () => {
    heldByThisProcess.delete(path);
    if (readOwner(path) === process.pid) rmSync(path, { force: true });
  };
}
