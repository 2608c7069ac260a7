// The admin API (Defguard's paths under /api/v1): login, then user, group, network, device and settings
// administration for members of `admin`.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { invalidArgument } from "../../shared/errors.ts";
import { auditAdminLogins, auditRoutes } from "../audit/admin-audit.ts";
import { rejectUnsafeUrl } from "../../shared/unsafe-url.ts";
import { csrfGuard } from "./csrf-guard.ts";
import type { AdminAppDeps, AdminEnv } from "./deps.ts";
import { createErrorHandler, handleNotFound } from "./errors.ts";
import { authRoutes } from "./routes/auth.ts";
import { deviceConfigRoutes } from "./routes/device-config.ts";
import { deviceRoutes } from "./routes/devices.ts";
import { gatewayRoutes } from "./routes/gateways.ts";
import { groupRoutes } from "./routes/groups.ts";
import { healthRoutes } from "./routes/health.ts";
import { mfaFailureRoutes } from "./routes/mfa-failures.ts";
import { networkDeviceRoutes } from "./routes/network-devices.ts";
import { networkRoutes } from "./routes/networks.ts";
import { ownDeviceRoutes } from "./routes/own-devices.ts";
import { selfMfaRoutes } from "./routes/self-mfa.ts";
import { selfServiceRoutes } from "./routes/self-service.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { userRecoveryRoutes } from "./routes/user-recovery.ts";
import { userRoutes } from "./routes/users.ts";
import { requireAdmin, requireSession } from "./session-guard.ts";
import { adminUiRoutes } from "../admin-ui/routes.tsx";

export type { AdminAppDeps, AdminEnv } from "./deps.ts";

export const API_PREFIX = "/api/v1";
const MAX_BODY_BYTES = 64 * 1024;

/** Builds the app; it holds no resources of its own (see startAdminServer for the listener). */
export function createAdminApp(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  // The id is in the response header and in the log line of any failure: a report can be matched to it.
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.onError(createErrorHandler(deps.log));
  app.notFound(handleNotFound);
  // Path parameters (user names, ids) go to the database: NUL or broken Unicode there is a 400, not a 500.
  app.use(rejectUnsafeUrl());
  app.use(
    `${API_PREFIX}/*`,
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw invalidArgument(`request body: expected at most ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  // Before any route reads a body or a cookie: forged requests from other origins stop here.
  app.use(`${API_PREFIX}/*`, csrfGuard());

  // Before the admin routes: their session check would otherwise answer /health with 401.
  app.route(API_PREFIX, healthRoutes(deps));
  if (deps.audit) app.use(`${API_PREFIX}/auth`, auditAdminLogins(deps.audit));
  app.route(API_PREFIX, authRoutes(deps));
  // Before the admin routes too: every signed-in user may change their own account.
  app.route(API_PREFIX, selfServiceRoutes(deps));
  app.route(API_PREFIX, selfMfaRoutes(deps));
  app.route(API_PREFIX, ownDeviceRoutes(deps));

  const admin = new Hono<AdminEnv>();
  admin.use("*", requireSession(deps), requireAdmin());
  for (const routes of [userRoutes, userRecoveryRoutes, groupRoutes, networkRoutes, networkDeviceRoutes, gatewayRoutes, deviceRoutes, deviceConfigRoutes, settingsRoutes, mfaFailureRoutes]) admin.route("/", routes(deps));
  for (const extra of deps.extraRoutes ?? []) admin.route("/", extra);
  if (deps.audit) admin.route("/", auditRoutes(deps.audit));
  app.route(API_PREFIX, admin);
  // The web UI's pages and assets (outside /api/v1).
  app.route("/", adminUiRoutes(deps));
  return app;
}
