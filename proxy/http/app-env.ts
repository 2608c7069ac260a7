// The Hono environment of the Proxy's web app: what middleware puts on the context for later handlers.
import type { RequestIdVariables } from "hono/request-id";

export interface AppEnv {
  /** Under Bun.serve the server object (its requestIP() gives the socket peer); absent in app.request(). */
  Bindings: { requestIP?: (request: Request) => { address: string } | null };
  Variables: RequestIdVariables;
}
