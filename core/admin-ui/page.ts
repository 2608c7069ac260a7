// What a page of the admin UI is: a path, who may open it, and a render function that reads the store
// and answers a title and server-rendered body (or a Response, e.g. a redirect). routes.ts wraps the body
// in the layout and enforces the access before render runs.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AdminAppDeps } from "../admin-api/deps.ts";
import type { SessionUser } from "../store/sessions.ts";

/** The signed-in person looking at a page. */
export interface Viewer extends SessionUser {
  /** Their password is Defguard's published default: every page but the change-password one is blocked. */
  mustChangePassword: boolean;
}

export type UiEnv = { Variables: { viewer: Viewer | undefined } };

/** `public`: anyone (sign in); `user`: any signed-in user; `admin`: members of group admin (else 403). */
export type Access = "public" | "user" | "admin";

export interface Rendered {
  title: string;
  body: Child;
  status?: 200 | 400 | 403 | 404;
}

export interface PageContext<V extends Viewer | undefined = Viewer> {
  c: Context<UiEnv>;
  deps: AdminAppDeps;
  viewer: V;
}

interface PageBase {
  /** A Hono path, e.g. `/ui/users/:username`. */
  path: string;
  /** `data-page` of the body: which controller of the client script runs (client/main.ts). */
  name: string;
}

export type UiPage =
  | (PageBase & { access: "public"; render(ctx: PageContext<Viewer | undefined>): Promise<Rendered | Response> })
  | (PageBase & { access: "user" | "admin"; render(ctx: PageContext): Promise<Rendered | Response> });

/** Path parameter `name` of the request (Hono types them loosely on a shared context). */
export function param(c: Context<UiEnv>, name: string): string {
  return c.req.param(name) ?? "";
}
