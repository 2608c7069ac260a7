// The admin API client's address, as the socket saw it (the admin API believes no forwarding headers).
import type { Context } from "hono";
import { getConnInfo } from "hono/bun";

/** The socket peer's address; null when the app runs without a server (in-process tests). */
export function clientAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
