// The embedded database: PGlite (PostgreSQL compiled to WebAssembly) keeping its files in a directory,
// served on a loopback TCP port so that the same `postgres` client and SQL work as with a real server.
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data-dir-lock.ts";

export interface EmbeddedServer {
  host: string;
  port: number;
  /** The absolute data directory. */
  dataDir: string;
  /** Stops the socket server, then closes PGlite (flushing its files), then releases the directory. */
  close(): Promise<void>;
}

/**
 * Opens (or creates) the PGlite database in `dataDir` and serves it on 127.0.0.1 on a free port.
 * PGlite runs one session: the server accepts one connection, so clients must use a pool of one.
 * Throws DataDirInUseError when another process has the directory open.
 */
export async function startEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  const dir = resolve(dataDir);
  const unlock = lockDataDir(dir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(dir);
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 });
    await server.start();
    const address = server.getServerConn();
    const port = Number(address.slice(address.lastIndexOf(":") + 1));
    const opened = db;
    return {
      host: "127.0.0.1",
      port,
      dataDir: dir,
      async close() {
        try {
          await server.stop();
          await opened.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    await db?.close().catch(() => {});
    unlock();
    throw err;
  }
}
