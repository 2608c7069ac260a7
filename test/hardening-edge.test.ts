// The public edge of the Proxy under abuse, in-process (app.request with a fake socket peer): rate limits
// per address and per secret, X-Forwarded-For trust, body size, content type, Origin, security headers,
// request timeout. Each rule is asserted with its exact status, body and headers.
import { describe, expect, test } from "bun:test";
import type { Hono } from "hono";
import { createLogger } from "../shared/logger.ts";
import { COMPONENT_VERSION } from "../shared/version.ts";
import { loadProxyConfig } from "../proxy/config.ts";
import { createCookieSealer } from "../proxy/cookie-seal.ts";
import { CoreLinks } from "../proxy/core-links.ts";
import type { AppEnv } from "../proxy/http/app-env.ts";
import { createApp } from "../proxy/http/app.ts";

const COOKIE_KEY = "hardening-test-cookie-key-0123456789abcdef";
const sealer = createCookieSealer(COOKIE_KEY);

function build(env: Record<string, string> = {}, extraRoutes?: (app: Hono<AppEnv>) => void) {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", format: "text", target: "defguard_proxy::http", write: (l) => lines.push(l) });
  const core = new CoreLinks({ timeoutMs: 1000, log });
  const config = loadProxyConfig({ DEFGUARD_PROXY_COOKIE_KEY: COOKIE_KEY, ...env });
  const app = createApp(config, { core, cookieSealer: sealer, log }, { extraRoutes });
  /** A request as if from socket peer `peer`. */
  const request = (path: string, init: RequestInit = {}, peer = "192.0.2.10") =>
    app.request(path, init, { requestIP: () => ({ address: peer }) });
  return { app, lines, request };
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function statusAndBody(res: Response): Promise<[number, unknown]> {
  const text = await res.text();
  return [res.status, text === "" ? null : JSON.parse(text)];
}

const TOO_MANY = { error: "Too many requests, try again later" };
const TOO_MANY_ATTEMPTS = { error: "Too many attempts, try again later" };
const NO_CORE = { error: "Not connected to Defguard Core" };

describe("rate limit per client address (DEFGUARD_PROXY_RATELIMIT_PERSECOND / _BURST)", () => {
  const limited = { DEFGUARD_PROXY_RATELIMIT_PERSECOND: "30", DEFGUARD_PROXY_RATELIMIT_BURST: "3" };

  test("the burst passes, the next request is 429 with Retry-After and a JSON error", async () => {
    const { request } = build(limited);
    for (let i = 0; i < 3; i++) expect((await request("/api/v1/info")).status).toBe(200);
    const res = await request("/api/v1/info");
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await statusAndBody(res)).toEqual([429, TOO_MANY]);
  });

  test("POSTs to the flows count too, and another address has its own bucket", async () => {
    const { request } = build(limited);
    for (let i = 0; i < 3; i++) expect((await request("/api/v1/poll", json({ token: `t${i}` }))).status).toBe(503);
    expect(await statusAndBody(await request("/api/v1/poll", json({ token: "t9" })))).toEqual([429, TOO_MANY]);
    expect(await statusAndBody(await request("/api/v1/poll", json({ token: "t9" }), "192.0.2.11"))).toEqual([503, NO_CORE]);
  });

  test("an IPv6 client is limited by its /64: rotating the interface id does not help", async () => {
    const { request } = build(limited);
    for (let i = 1; i <= 3; i++) expect((await request("/api/v1/info", {}, `2001:db8:1:2::${i}`)).status).toBe(200);
    expect((await request("/api/v1/info", {}, "2001:db8:1:2:ffff::9")).status).toBe(429);
    expect((await request("/api/v1/info", {}, "2001:db8:1:3::1")).status).toBe(200);
  });

  test("health probes and pages are never limited", async () => {
    const { request } = build(limited, (app) => app.get("/", (c) => c.html("<h1>Enrollment</h1>")));
    for (let i = 0; i < 3; i++) await request("/api/v1/info");
    expect((await request("/api/v1/info")).status).toBe(429);
    for (let i = 0; i < 10; i++) {
      expect((await request("/api/v1/health")).status).toBe(200);
      expect((await request("/api/v1/health-grpc")).status).toBe(503);
      expect((await request("/")).status).toBe(200);
    }
  });

  test("either variable 0 turns it off (the default)", async () => {
    const envs: Record<string, string>[] = [{}, { DEFGUARD_PROXY_RATELIMIT_PERSECOND: "0", DEFGUARD_PROXY_RATELIMIT_BURST: "3" }];
    for (const env of envs) {
      const { request } = build(env);
      for (let i = 0; i < 20; i++) expect((await request("/api/v1/info")).status).toBe(200);
    }
  });

  test("X-Forwarded-For from an untrusted peer is ignored: spoofed addresses share the peer's bucket", async () => {
    const { request } = build(limited);
    for (let i = 0; i < 3; i++) {
      expect((await request("/api/v1/info", { headers: { "x-forwarded-for": `198.51.100.${i}` } })).status).toBe(200);
    }
    expect((await request("/api/v1/info", { headers: { "x-forwarded-for": "198.51.100.200" } })).status).toBe(429);
  });

  test("X-Forwarded-For from a trusted reverse proxy is honoured: each client has its own bucket", async () => {
    const { request } = build({ ...limited, DEFGUARD_PROXY_TRUSTED_PROXIES: "10.0.0.0/8" });
    for (let i = 0; i < 10; i++) {
      const res = await request("/api/v1/info", { headers: { "x-forwarded-for": `198.51.100.${i}` } }, "10.0.0.2");
      expect(res.status).toBe(200);
    }
    for (let i = 0; i < 3; i++) await request("/api/v1/info", { headers: { "x-forwarded-for": "198.51.100.50" } }, "10.0.0.2");
    const res = await request("/api/v1/info", { headers: { "x-forwarded-for": "198.51.100.50" } }, "10.0.0.3");
    expect(res.status).toBe(429);
  });

  test("a client prepending addresses to X-Forwarded-For does not escape: the rightmost untrusted hop counts", async () => {
    const { request } = build({ ...limited, DEFGUARD_PROXY_TRUSTED_PROXIES: "10.0.0.2" });
    for (let i = 0; i < 3; i++) {
      const res = await request("/api/v1/info", { headers: { "x-forwarded-for": `203.0.113.${i}, 198.51.100.7` } }, "10.0.0.2");
      expect(res.status).toBe(200);
    }
    const res = await request("/api/v1/info", { headers: { "x-forwarded-for": "203.0.113.99, 198.51.100.7" } }, "10.0.0.2");
    expect(res.status).toBe(429);
  });
});

describe("rate limit per secret (DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE)", () => {
  const env = { DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "3", DEFGUARD_PROXY_TRUSTED_PROXIES: "10.0.0.1" };
  const fromEverywhere = (i: number) => ({ "x-forwarded-for": `198.51.${i >> 8}.${i & 255}` });

  const endpoints: [string, (secret: string) => unknown][] = [
    ["/api/v1/enrollment/start", (token) => ({ token })],
    ["/api/v1/password-reset/start", (token) => ({ token })],
    ["/api/v1/client-mfa/finish", (token) => ({ token, code: "123456" })],
    ["/api/v1/poll", (token) => ({ token })],
  ];
  for (const [path, body] of endpoints) {
    test(`${path}: the 4th attempt with one token is 429 even from a new address each time`, async () => {
      const { request } = build(env);
      for (let i = 0; i < 3; i++) {
        expect(await statusAndBody(await request(path, json(body("SECRETtoken"), fromEverywhere(i)), "10.0.0.1"))).toEqual([503, NO_CORE]);
      }
      const res = await request(path, json(body("SECRETtoken"), fromEverywhere(3)), "10.0.0.1");
      expect(res.headers.get("retry-after")).toBe("20");
      expect(await statusAndBody(res)).toEqual([429, TOO_MANY_ATTEMPTS]);
      // Another token is not affected, nor is another endpoint with the same token.
      expect((await request(path, json(body("OTHERtoken")), "10.0.0.1")).status).toBe(503);
    });
  }

  test("enrollment MFA codes are limited per enrollment session (the token in the sealed cookie)", async () => {
    const { request } = build(env);
    const cookie = `defguard_proxy=${sealer.seal("defguard_proxy", "ENROLLtoken")}`;
    const attempt = (i: number) => request("/api/v1/enrollment/register-mfa/code/finish", json({ method: "Totp", code: `00000${i}` }, { cookie, ...fromEverywhere(i) }), "10.0.0.1");
    for (let i = 0; i < 3; i++) expect((await attempt(i)).status).toBe(503);
    expect(await statusAndBody(await attempt(3))).toEqual([429, TOO_MANY_ATTEMPTS]);
  });

  test("password-reset mails are limited per address mailed, whatever its case", async () => {
    const { request } = build(env);
    const emails = ["Victim@example.com", "victim@example.com", " VICTIM@example.com"];
    for (const email of emails) expect((await request("/api/v1/password-reset/request", json({ email }), "10.0.0.1")).status).toBe(503);
    expect(await statusAndBody(await request("/api/v1/password-reset/request", json({ email: "victim@EXAMPLE.com" })))).toEqual([429, TOO_MANY_ATTEMPTS]);
  });

  test("bodies without the secret are not counted and still get their 400", async () => {
    const { request } = build(env);
    for (let i = 0; i < 5; i++) {
      expect(await statusAndBody(await request("/api/v1/poll", json({})))).toEqual([400, { error: 'missing field "token"' }]);
    }
  });

  test("0 turns it off", async () => {
    const { request } = build({ DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0" });
    for (let i = 0; i < 15; i++) expect((await request("/api/v1/poll", json({ token: "same" }))).status).toBe(503);
  });
});

describe("request bodies and content type", () => {
  test("a body over 16 KiB: 413 with a JSON error", async () => {
    const res = await build().request("/api/v1/poll", json({ token: "x".repeat(16 * 1024) }));
    expect(await statusAndBody(res)).toEqual([413, { error: "Request body too large" }]);
  });

  test.each([
    ["text/plain;charset=UTF-8"],
    ["application/x-www-form-urlencoded"],
    ["multipart/form-data; boundary=x"],
    ["application/jsonp"],
    [""],
  ])("a POST to the API with Content-Type %p: 415", async (type) => {
    const headers: Record<string, string> = type ? { "content-type": type } : {};
    const res = await build().request("/api/v1/poll", { method: "POST", headers, body: '{"token":"t"}' });
    expect(await statusAndBody(res)).toEqual([415, { error: "Expected Content-Type: application/json" }]);
  });

  test("a POST without any body or type: 415", async () => {
    const res = await build().request("/api/v1/poll", { method: "POST" });
    expect(await statusAndBody(res)).toEqual([415, { error: "Expected Content-Type: application/json" }]);
  });

  test("application/json with parameters and in any case is accepted", async () => {
    const res = await build().request("/api/v1/poll", { method: "POST", headers: { "content-type": "Application/JSON; charset=utf-8" }, body: '{"token":"t"}' });
    expect(await statusAndBody(res)).toEqual([503, NO_CORE]);
  });

  test("pages outside /api may take forms", async () => {
    const { request } = build({}, (app) => app.post("/form", (c) => c.text("ok")));
    const res = await request("/form", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
  });
});

describe("Origin check on state-changing requests", () => {
  const refused: [number, unknown] = [403, { error: "Cross-origin request refused" }];
  /** What a browser adds to a request to our host: the session cookies it holds for the site. */
  const withSession = { cookie: "defguard_proxy=sealed-value" };

  test.each([["https://evil.example"], ["http://localhost.evil.example"], ["null"], ["http://localhost:8081"], ["not a url"], ["tauri://evil"]])(
    "a POST from Origin %p to host localhost carrying our session cookie: 403",
    async (origin) => {
      const res = await build().request("http://localhost/api/v1/poll", json({ token: "t" }, { origin, ...withSession }));
      expect(await statusAndBody(res)).toEqual(refused);
    },
  );

  test("the refusal still names the proxy and says no Core is connected", async () => {
    const res = await build().request("http://localhost/api/v1/poll", json({ token: "t" }, { origin: "https://evil.example", ...withSession }));
    expect([res.status, res.headers.get("defguard-component-version"), res.headers.get("defguard-core-connected")]).toEqual([403, COMPONENT_VERSION, "false"]);
  });

  test("the password-reset cookie counts as ambient credentials too; another site's cookie does not", async () => {
    const reset = await build().request("http://localhost/api/v1/poll", json({ token: "t" }, { origin: "https://evil.example", cookie: "theme=dark; defguard_proxy_password_reset=x" }));
    expect(await statusAndBody(reset)).toEqual(refused);
    const unrelated = await build().request("http://localhost/api/v1/poll", json({ token: "t" }, { origin: "https://evil.example", cookie: "theme=dark" }));
    expect(await statusAndBody(unrelated)).toEqual([503, NO_CORE]);
  });

  test("a cross-site POST without our cookies carries nothing to abuse: it passes to the Core", async () => {
    const res = await build().request("http://localhost/api/v1/poll", json({ token: "t" }, { origin: "https://evil.example" }));
    expect(await statusAndBody(res)).toEqual([503, NO_CORE]);
  });

  test.each([["tauri://localhost"], ["http://tauri.localhost"]])(
    "the Defguard desktop client's Origin %p passes with the session cookie it sends back",
    async (origin) => {
      const cookie = "defguard_proxy=sealed-value; Path=/; Expires=Fri, 04 Dec 2026 08:00:00 GMT; HttpOnly; SameSite=Strict; Secure";
      const res = await build().request("http://enroll.example.com/api/v1/enrollment/network_info", json({ pubkey: "k" }, { origin, cookie }));
      expect(await statusAndBody(res)).toEqual([503, NO_CORE]);
    },
  );

  test("a POST from the request's own origin passes, http or https", async () => {
    for (const origin of ["http://enroll.example.com", "https://enroll.example.com"]) {
      const res = await build().request("http://enroll.example.com/api/v1/poll", json({ token: "t" }, { origin, ...withSession }));
      expect(await statusAndBody(res)).toEqual([503, NO_CORE]);
    }
  });

  test("no Origin (desktop client's Rust side, curl): allowed", async () => {
    expect(await statusAndBody(await build().request("/api/v1/poll", json({ token: "t" }, withSession)))).toEqual([503, NO_CORE]);
  });

  test("a GET with a foreign Origin is no state change: allowed", async () => {
    const res = await build().request("/api/v1/info", { headers: { origin: "https://evil.example", ...withSession } });
    expect(res.status).toBe(200);
  });

  test("behind a trusted reverse proxy the public host is X-Forwarded-Host", async () => {
    const { request } = build({ DEFGUARD_PROXY_TRUSTED_PROXIES: "10.0.0.1" });
    const headers = { origin: "https://enroll.example.com", "x-forwarded-host": "enroll.example.com", ...withSession };
    const viaProxy = await request("http://proxy.internal:8080/api/v1/poll", json({ token: "t" }, headers), "10.0.0.1");
    expect(viaProxy.status).toBe(503);
    const spoofed = await request("http://proxy.internal:8080/api/v1/poll", json({ token: "t" }, headers), "192.0.2.66");
    expect(await statusAndBody(spoofed)).toEqual(refused);
  });

  test("pages' forms are protected too", async () => {
    const { request } = build({}, (app) => app.post("/form", (c) => c.text("ok")));
    const res = await request("http://localhost/form", { method: "POST", headers: { origin: "https://evil.example", ...withSession }, body: "" });
    expect(await statusAndBody(res)).toEqual(refused);
  });
});

describe("security headers", () => {
  const apiHeaders = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "cache-control": "no-store",
  };
  const pick = (res: Response, names: string[]) => Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));

  test("every API answer carries them, refusals included; no HSTS over plain http", async () => {
    const { request } = build({ DEFGUARD_PROXY_RATELIMIT_PERSECOND: "60", DEFGUARD_PROXY_RATELIMIT_BURST: "1" });
    const answers = [
      await request("/api/v1/info"),
      await request("/api/v1/info"), // 429
      await request("/api/v1/nope", {}, "192.0.2.20"), // 404
      await request("/api/v1/poll", { method: "POST", body: "x" }, "192.0.2.21"), // 415
      await request("/api/v1/poll", json({ token: "x".repeat(70_000) }), "192.0.2.22"), // 413
      await request("/api/v1/poll", json({ token: "t" }), "192.0.2.23"), // 503
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 429, 404, 415, 413, 503]);
    for (const res of answers) {
      expect(pick(res, Object.keys(apiHeaders))).toEqual(apiHeaders);
      expect(res.headers.has("strict-transport-security")).toBe(false);
    }
  });

  test("HSTS when a trusted TLS terminator says https; not when anyone else does", async () => {
    const { request } = build({ DEFGUARD_PROXY_TRUSTED_PROXIES: "10.0.0.1" });
    const trusted = await request("/api/v1/info", { headers: { "x-forwarded-proto": "https" } }, "10.0.0.1");
    expect(trusted.headers.get("strict-transport-security")).toBe("max-age=31536000");
    const untrusted = await request("/api/v1/info", { headers: { "x-forwarded-proto": "https" } }, "192.0.2.9");
    expect(untrusted.headers.has("strict-transport-security")).toBe(false);
  });

  test("pages keep their own CSP; a page without one gets frame-ancestors 'none'; no no-store", async () => {
    const { request } = build({}, (app) => {
      app.get("/", (c) => c.html("<h1>home</h1>", 200, { "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'" }));
      app.get("/plain", (c) => c.html("<h1>plain</h1>"));
    });
    const home = await request("/");
    expect(home.headers.get("content-security-policy")).toBe("default-src 'self'; frame-ancestors 'none'");
    expect(home.headers.get("x-frame-options")).toBe("DENY");
    expect(home.headers.get("cache-control")).toBeNull();
    const plain = await request("/plain");
    expect(plain.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    expect(plain.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("request timeout (DEFGUARD_PROXY_REQUEST_TIMEOUT_MS)", () => {
  test("a request that takes longer: 408 with a JSON error, headers still set", async () => {
    const env = { DEFGUARD_PROXY_CORE_TIMEOUT_MS: "50", DEFGUARD_PROXY_REQUEST_TIMEOUT_MS: "100" };
    const { request } = build(env, (app) => app.get("/api/v1/slow", async (c) => (await Bun.sleep(2_000), c.text("late"))));
    const res = await request("/api/v1/slow");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await statusAndBody(res)).toEqual([408, { error: "Request timeout" }]);
  });
});
