// The Hono environment of the Proxy's web app: what middleware puts on the context for later handlers.
import type { RequestIdVariables } from "hono/request-id";
import type { ClientAddress } from "./device-info.ts";

export interface AppEnv {
  /** Under Bun.serve the server object (its requestIP() gives the socket peer); absent in app.request(). */
  Bindings: { requestIP?: (request: Request) => { address: string } | null };
  /** `client`: who sent the request (set by the clientAddress middleware; see device-info.ts). */
  Variables: RequestIdVariables & { client?: ClientAddress };
}
