// The web app in-process (app.request), with no Core connected: everything that is answered by the
// Proxy alone. Forwarding to a Core is tested over real gRPC in test/proxy-*.test.ts.
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createLogger } from "../../shared/logger.ts";
import { COMPONENT_VERSION } from "../../shared/version.ts";
import { loadProxyConfig } from "../config.ts";
import { createCookieSealer } from "../cookie-seal.ts";
import { CoreLinks } from "../core-links.ts";
import type { AppEnv } from "./app-env.ts";
import { createApp } from "./app.ts";

function build(extraRoutes?: (app: Hono<AppEnv>) => void) {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", format: "text", target: "defguard_proxy::http", write: (l) => lines.push(l) });
  const core = new CoreLinks({ timeoutMs: 1000, log });
  const app = createApp(loadProxyConfig({}), { core, cookieSealer: createCookieSealer(undefined), log }, { extraRoutes });
  return { app, lines };
}

const post = (body: string) => ({ method: "POST", body, headers: { "content-type": "application/json" } });

describe("status routes", () => {
  test("GET /api/v1/health: 200 alive", async () => {
    const res = await build().app.request("/api/v1/health");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("alive");
  });

  test("GET /api/v1/health-grpc without a Core: 503 Not connected to Defguard Core", async () => {
    const res = await build().app.request("/api/v1/health-grpc");
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("Not connected to Defguard Core");
  });

  test("GET /api/v1/info: the proxy version", async () => {
    const res = await build().app.request("/api/v1/info");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: COMPONENT_VERSION });
  });

  test("every response names the proxy's version, says no Core is connected and no Core version yet, and carries a request id", async () => {
    const { app } = build();
    for (const path of ["/api/v1/health", "/api/v1/info", "/api/v1/nope", "/elsewhere"]) {
      const res = await app.request(path);
      expect(res.headers.get("defguard-component-version")).toBe(COMPONENT_VERSION);
      expect(res.headers.get("defguard-core-connected")).toBe("false");
      expect(res.headers.has("defguard-core-version")).toBe(false);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("unknown paths", () => {
  test("unknown /api/* path: JSON 404", async () => {
    const res = await build().app.request("/api/v2/whatever");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found" });
  });

  test("wrong method on a known path: JSON 404", async () => {
    const res = await build().app.request("/api/v1/enrollment/start");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found" });
  });
});

describe("request bodies", () => {
  const cases: [string, string, string][] = [
    ["/api/v1/enrollment/start", "{", "Invalid JSON in request body"],
    ["/api/v1/enrollment/start", "", "Invalid JSON in request body"],
    ["/api/v1/enrollment/start", "[]", "expected a JSON object"],
    ["/api/v1/enrollment/start", "42", "expected a JSON object"],
    ["/api/v1/enrollment/start", "{}", 'missing field "token"'],
    ["/api/v1/enrollment/start", '{"token": 5}', 'invalid field "token": expected string'],
    ["/api/v1/enrollment/activate_user", "{}", 'missing field "password"'],
    ["/api/v1/enrollment/activate_user", '{"password":"x","phone_number":7}', 'invalid field "phone_number": expected string'],
    ["/api/v1/enrollment/create_device", '{"name":"laptop"}', 'missing field "pubkey"'],
    ["/api/v1/enrollment/network_info", '{"pubkey":null}', 'invalid field "pubkey": expected string'],
    ["/api/v1/enrollment/register-mfa/code/start", '{"method":"Sms"}', 'invalid field "method": Invalid option: expected one of "Totp"|"Email"'],
    ["/api/v1/enrollment/register-mfa/code/finish", '{"method":"Totp"}', 'missing field "code"'],
    ["/api/v1/password-reset/request", "{}", 'missing field "email"'],
    ["/api/v1/password-reset/start", '{"token":[]}', 'invalid field "token": expected string'],
    ["/api/v1/password-reset/reset", "{}", 'missing field "password"'],
    ["/api/v1/client-mfa/start", '{"location_id":1,"pubkey":"k"}', 'missing field "method"'],
    ["/api/v1/client-mfa/start", '{"location_id":-1,"pubkey":"k","method":0}', 'invalid field "location_id": Too small: expected number to be >=0'],
    ["/api/v1/client-mfa/start", '{"location_id":1,"pubkey":"k","method":9}', 'invalid field "method": Invalid option: expected one of 0|1|2|3|4'],
    ["/api/v1/client-mfa/finish", '{"token":"t"}', 'missing field "code"'],
    ["/api/v1/poll", "{}", 'missing field "token"'],
  ];
  for (const [path, body, message] of cases) {
    test(`POST ${path} ${body || "(empty)"}: 400 ${message}`, async () => {
      const res = await build().app.request(path, post(body));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: message });
    });
  }

  test("a body over 64 KiB: 413", async () => {
    const res = await build().app.request("/api/v1/poll", post(JSON.stringify({ token: "x".repeat(70_000) })));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "Request body too large" });
  });
});

describe("without a Core", () => {
  test("a valid request answers 503 at once", async () => {
    const res = await build().app.request("/api/v1/poll", post('{"token":"abc"}'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "Not connected to Defguard Core" });
  });
});

describe("errors and extra routes", () => {
  test("an unexpected error: 500 Internal server error, the cause only in the log with the request id", async () => {
    const { app, lines } = build((a) => {
      a.get("/boom", () => {
        throw new Error("secret detail");
      });
    });
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: "Internal server error" });
    expect(body).not.toContain("secret detail");
    const id = res.headers.get("x-request-id")!;
    expect(lines.some((l) => l.includes("secret detail") && l.includes(id))).toBe(true);
    expect(res.headers.get("defguard-core-connected")).toBe("false");
  });

  test("extraRoutes are mounted and non-API unknown paths get a plain 404", async () => {
    const { app } = build((a) => a.get("/", (c) => c.html("<h1>Enrollment</h1>")));
    const page = await app.request("/");
    expect([page.status, await page.text()]).toEqual([200, "<h1>Enrollment</h1>"]);
    const missing = await app.request("/no-such-page");
    expect([missing.status, await missing.text()]).toEqual([404, "Not found"]);
  });
});
