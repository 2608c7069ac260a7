// The hardening of the public web server, installed by createApp in two steps around the body limit:
// before it, what needs no body (client address, security headers, timeout, Origin check, per-address
// rate limit, JSON content type); after it, the per-secret limits, which read the (bounded) body.
import type { Hono } from "hono";
import type { ProxyConfig } from "../config.ts";
import type { ProxyMetrics } from "../metrics.ts";
import type { AppEnv } from "./app-env.ts";
import { requireJson } from "./content-type.ts";
import { clientAddress } from "./device-info.ts";
import { originCheck } from "./origin-check.ts";
import { type SecretReader, addressPolicy, addressRateLimit, jsonBodyField, secretPolicy, secretRateLimit } from "./rate-limit.ts";
import { requestTimeout } from "./request-timeout.ts";
import { securityHeaders } from "./security-headers.ts";
import { ENROLLMENT_COOKIE, type SessionCookies } from "./session-cookies.ts";
import { TokenBuckets } from "./token-buckets.ts";

type EdgeConfig = Pick<ProxyConfig, "trustedProxies" | "requestTimeoutMs" | "rateLimit" | "secretAttemptsPerMinute">;

/** Monitoring probes must see the Proxy as it is, never a 429. */
const UNLIMITED_PATHS = new Set(["/api/v1/health", "/api/v1/health-grpc"]);

/** Before the body limit. `metrics` (optional) counts every request, refusals included. */
export function installEdgeGuards(app: Hono<AppEnv>, config: EdgeConfig, metrics?: ProxyMetrics): void {
  if (metrics) app.use(metrics.httpMiddleware());
  app.use(clientAddress(config.trustedProxies));
  app.use(securityHeaders());
  app.use(requestTimeout(config.requestTimeoutMs));
  app.use(originCheck());
  if (config.rateLimit) app.use("/api/*", addressRateLimit(addressPolicy(config.rateLimit), (path) => UNLIMITED_PATHS.has(path)));
  app.use("/api/*", requireJson());
}

/** The endpoints that check a secret, and where the secret is. */
function secretEndpoints(cookies: SessionCookies): [path: string, read: SecretReader][] {
  const token = jsonBodyField("token");
  return [
    ["/api/v1/enrollment/start", token],
    ["/api/v1/password-reset/start", token],
    ["/api/v1/client-mfa/finish", token],
    ["/api/v1/poll", token],
    // Guessing the TOTP/email code of an enrollment: bounded per enrollment token.
    ["/api/v1/enrollment/register-mfa/code/finish", async (c) => cookies.read(c, ENROLLMENT_COOKIE)],
    // Not a secret, but a mail to a victim per request: bounded per address mailed.
    ["/api/v1/password-reset/request", jsonBodyField("email", (email) => email.trim().toLowerCase())],
  ];
}

/** After the body limit: DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE per secret on each such endpoint. */
export function installSecretLimits(app: Hono<AppEnv>, config: EdgeConfig, cookies: SessionCookies): void {
  if (config.secretAttemptsPerMinute <= 0) return;
  const buckets = new TokenBuckets(secretPolicy(config.secretAttemptsPerMinute));
  for (const [path, read] of secretEndpoints(cookies)) {
    app.post(path, secretRateLimit(buckets, path, read));
  }
}
