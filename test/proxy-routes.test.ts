// Every public route of WIRE.md over real HTTP and real gRPC: the payload the Core receives, the JSON the
// client gets, and the sealed session cookies (set, forwarded, removed, tampered, shared between Proxies).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CoreRequest__Output } from "../shared/proto.ts";
import { type TestAnswer, type TestCore, connectTestCore, waitFor } from "./support/test-core.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";

const ENROLL_TOKEN = "EnrollTokenEnrollTokenEnrollTok1";
const RESET_TOKEN = "ResetTokenResetTokenResetTokenR2";
/** A session deadline as Core gives it: 10 minutes from now, Unix seconds. */
const DEADLINE = Math.floor(Date.now() / 1000) + 600;
const EXPIRES = new Date(DEADLINE * 1000).toUTCString();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const sessionCookie = (name: string, secure = true) =>
  new RegExp(`^${name}=[A-Za-z0-9_-]+; Path=/; Expires=${escape(EXPIRES)}; HttpOnly; ${secure ? "Secure; " : ""}SameSite=Strict$`);
const UNAUTHENTICATED = { core_error: { status_code: 16, message: "Invalid token" } };

/** A Core that knows one enrollment and one reset token, and answers each payload kind with fixed data. */
function answer(request: CoreRequest__Output): TestAnswer {
  const enrolled = (token: string | undefined | null) => token === ENROLL_TOKEN;
  switch (request.payload) {
    case "enrollment_start":
      return enrolled(request.enrollment_start!.token) ? { enrollment_start: { deadline_timestamp: DEADLINE, final_page_content: "Welcome" } } : UNAUTHENTICATED;
    case "activate_user":
      return enrolled(request.activate_user!.token) ? { empty: {} } : UNAUTHENTICATED;
    case "new_device":
    case "existing_device": {
      const r = request.new_device ?? request.existing_device!;
      return enrolled(r.token) ? { device_config: { configs: [], token: "polling" } } : UNAUTHENTICATED;
    }
    case "code_mfa_setup_start":
      return enrolled(request.code_mfa_setup_start!.token) ? { code_mfa_setup_start_response: { totp_secret: "JBSWY3DPEHPK3PXP" } } : UNAUTHENTICATED;
    case "code_mfa_setup_finish":
      return enrolled(request.code_mfa_setup_finish!.token) ? { code_mfa_setup_finish_response: { recovery_codes: ["r1", "r2"] } } : UNAUTHENTICATED;
    case "password_reset_init":
      return { empty: {} };
    case "password_reset_start":
      return request.password_reset_start!.token === RESET_TOKEN ? { password_reset_start: { deadline_timestamp: DEADLINE } } : UNAUTHENTICATED;
    case "password_reset":
      return request.password_reset!.token === RESET_TOKEN ? { empty: {} } : UNAUTHENTICATED;
    case "client_mfa_start":
      return { client_mfa_start: { token: "mfa-jwt" } };
    case "client_mfa_finish":
      return { client_mfa_finish: { preshared_key: "psk=", token: "next" } };
    default:
      return { core_error: { status_code: 12, message: "not in this test" } };
  }
}

let proxy: TestProxy;
let core: TestCore;

beforeAll(async () => {
  proxy = await startTestProxy();
  core = connectTestCore({ target: proxy.target, answer });
  await core.headers;
});

afterAll(async () => {
  core.close();
  await proxy.stop();
});

async function post(path: string, body: unknown, cookie?: string, base = proxy.url) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { res, status: res.status, text, json: text ? JSON.parse(text) : undefined, setCookies: res.headers.getSetCookie() };
}

/** The last request the Core received, without device_info and the loader's virtual oneof fields. */
function lastPayload(): Record<string, unknown> {
  const r = core.requests.at(-1)!;
  const kind = r.payload!;
  const value = JSON.parse(JSON.stringify(r[kind])) as Record<string, unknown>;
  for (const key of Object.keys(value)) if (key.startsWith("_")) delete value[key];
  return { [kind]: value };
}

/** `name=value` of a Set-Cookie line, for sending back. */
function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0]!;
}

async function startEnrollment(base = proxy.url): Promise<string> {
  const { status, setCookies } = await post("/api/v1/enrollment/start", { token: ENROLL_TOKEN }, undefined, base);
  expect(status).toBe(200);
  return cookiePair(setCookies[0]!);
}

describe("enrollment", () => {
  test("start: forwards the token, answers the JSON, sets the sealed defguard_proxy cookie until the deadline", async () => {
    const { status, json, setCookies } = await post("/api/v1/enrollment/start", { token: ENROLL_TOKEN });
    expect(status).toBe(200);
    expect(lastPayload()).toEqual({ enrollment_start: { token: ENROLL_TOKEN } });
    expect(json).toEqual({ admin: null, user: null, deadline_timestamp: DEADLINE, final_page_content: "Welcome", instance: null, settings: null });
    expect(setCookies).toHaveLength(1);
    const cookie = setCookies[0]!;
    expect(cookie).toMatch(sessionCookie("defguard_proxy"));
    expect(cookie).not.toContain(ENROLL_TOKEN);
  });

  test("start with a wrong token: 401, no cookie", async () => {
    const { status, json, setCookies } = await post("/api/v1/enrollment/start", { token: "wrong" });
    expect([status, json, setCookies]).toEqual([401, { error: "Invalid token" }, []]);
  });

  test("create_device and network_info forward the cookie's token", async () => {
    const cookie = await startEnrollment();
    const created = await post("/api/v1/enrollment/create_device", { name: "laptop", pubkey: "PK=" }, cookie);
    expect([created.status, created.json]).toEqual([200, { device: null, configs: [], instance: null, token: "polling" }]);
    expect(lastPayload()).toEqual({ new_device: { name: "laptop", pubkey: "PK=", token: ENROLL_TOKEN } });
    const info = await post("/api/v1/enrollment/network_info", { pubkey: "PK=" }, cookie);
    expect(info.status).toBe(200);
    expect(lastPayload()).toEqual({ existing_device: { pubkey: "PK=", token: ENROLL_TOKEN } });
  });

  test("register-mfa code start/finish map Totp/Email to the proto enum and forward the token", async () => {
    const cookie = await startEnrollment();
    const start = await post("/api/v1/enrollment/register-mfa/code/start", { method: "Totp" }, cookie);
    expect([start.status, start.json]).toEqual([200, { totp_secret: "JBSWY3DPEHPK3PXP" }]);
    expect(lastPayload()).toEqual({ code_mfa_setup_start: { method: 0, token: ENROLL_TOKEN } });
    const finish = await post("/api/v1/enrollment/register-mfa/code/finish", { method: "Email", code: "123456" }, cookie);
    expect([finish.status, finish.json]).toEqual([200, { recovery_codes: ["r1", "r2"] }]);
    expect(lastPayload()).toEqual({ code_mfa_setup_finish: { code: "123456", token: ENROLL_TOKEN, method: 1 } });
  });

  test("activate_user: forwards password, phone and token; 200 empty; removes the cookie", async () => {
    const cookie = await startEnrollment();
    const { status, text, setCookies } = await post("/api/v1/enrollment/activate_user", { password: "Passw0rd!", phone_number: "+48123" }, cookie);
    expect([status, text]).toEqual([200, ""]);
    expect(lastPayload()).toEqual({ activate_user: { phone_number: "+48123", password: "Passw0rd!", token: ENROLL_TOKEN } });
    expect(setCookies).toEqual(["defguard_proxy=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"]);
  });

  test("activate_user without phone: phone_number unset on the wire", async () => {
    const cookie = await startEnrollment();
    await post("/api/v1/enrollment/activate_user", { password: "Passw0rd!", phone_number: null }, cookie);
    expect(lastPayload()).toEqual({ activate_user: { password: "Passw0rd!", token: ENROLL_TOKEN } });
  });

  test("without the cookie the call still reaches Core, with no token, and Core's 401 comes back", async () => {
    const { status, json } = await post("/api/v1/enrollment/create_device", { name: "x", pubkey: "y" });
    expect([status, json]).toEqual([401, { error: "Invalid token" }]);
    expect(lastPayload()).toEqual({ new_device: { name: "x", pubkey: "y" } });
    const mfa = await post("/api/v1/enrollment/register-mfa/code/start", { method: "Email" });
    expect(mfa.status).toBe(401);
    expect(lastPayload()).toEqual({ code_mfa_setup_start: { method: 1, token: "" } });
  });

  test("a tampered cookie counts as no cookie", async () => {
    const cookie = await startEnrollment();
    const [name, value] = cookie.split("=") as [string, string];
    const flipped = value.slice(0, 10) + (value[10] === "A" ? "B" : "A") + value.slice(11);
    const { status } = await post("/api/v1/enrollment/activate_user", { password: "Passw0rd!" }, `${name}=${flipped}`);
    expect(status).toBe(401);
    expect(lastPayload()).toEqual({ activate_user: { password: "Passw0rd!" } });
    const plain = await post("/api/v1/enrollment/activate_user", { password: "Passw0rd!" }, `defguard_proxy=${ENROLL_TOKEN}`);
    expect(plain.status).toBe(401);
  });

  test("a password-reset cookie's value is not accepted as the enrollment cookie", async () => {
    const reset = await post("/api/v1/password-reset/start", { token: RESET_TOKEN });
    const value = cookiePair(reset.setCookies[0]!).split("=")[1];
    await post("/api/v1/enrollment/create_device", { name: "x", pubkey: "y" }, `defguard_proxy=${value}`);
    expect(lastPayload()).toEqual({ new_device: { name: "x", pubkey: "y" } });
  });
});

describe("password reset", () => {
  test("request: forwards the email, 200 empty", async () => {
    const { status, text } = await post("/api/v1/password-reset/request", { email: "alice@example.com" });
    expect([status, text]).toEqual([200, ""]);
    expect(lastPayload()).toEqual({ password_reset_init: { email: "alice@example.com" } });
  });

  test("start sets defguard_proxy_password_reset; reset forwards its token and removes it", async () => {
    const start = await post("/api/v1/password-reset/start", { token: RESET_TOKEN });
    expect([start.status, start.json]).toEqual([200, { deadline_timestamp: DEADLINE }]);
    expect(lastPayload()).toEqual({ password_reset_start: { token: RESET_TOKEN } });
    expect(start.setCookies[0]).toMatch(sessionCookie("defguard_proxy_password_reset"));
    const reset = await post("/api/v1/password-reset/reset", { password: "N3w-Passw0rd" }, cookiePair(start.setCookies[0]!));
    expect([reset.status, reset.text]).toEqual([200, ""]);
    expect(lastPayload()).toEqual({ password_reset: { password: "N3w-Passw0rd", token: RESET_TOKEN } });
    expect(reset.setCookies).toEqual(["defguard_proxy_password_reset=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"]);
  });

  test("reset without its cookie: Core's 401, cookie untouched", async () => {
    const { status, json, setCookies } = await post("/api/v1/password-reset/reset", { password: "x" });
    expect([status, json, setCookies]).toEqual([401, { error: "Invalid token" }, []]);
    expect(lastPayload()).toEqual({ password_reset: { password: "x" } });
  });
});

describe("desktop client", () => {
  test("client-mfa start forwards location, key and method number", async () => {
    const { status, json } = await post("/api/v1/client-mfa/start", { location_id: 3, pubkey: "PK=", method: 1 });
    expect([status, json]).toEqual([200, { token: "mfa-jwt", challenge: null }]);
    expect(lastPayload()).toEqual({ client_mfa_start: { location_id: 3, pubkey: "PK=", method: 1 } });
  });

  test("client-mfa finish forwards token and code", async () => {
    const { status, json } = await post("/api/v1/client-mfa/finish", { token: "mfa-jwt", code: "123456" });
    expect([status, json]).toEqual([200, { preshared_key: "psk=", token: "next" }]);
    expect(lastPayload()).toEqual({ client_mfa_finish: { token: "mfa-jwt", code: "123456" } });
  });
});

describe("cookies across Proxies", () => {
  test("a cookie from one Proxy works on another with the same DEFGUARD_PROXY_COOKIE_KEY, not with another key", async () => {
    const same = await startTestProxy();
    const other = await startTestProxy({ DEFGUARD_PROXY_COOKIE_KEY: "another-key-entirely-another-key-entirely!" });
    const peers = [same, other].map((p) => connectTestCore({ target: p.target, answer }));
    try {
      await Promise.all(peers.map((p) => p.headers));
      const cookie = await startEnrollment();
      const onSame = await post("/api/v1/enrollment/network_info", { pubkey: "PK=" }, cookie, same.url);
      expect(onSame.status).toBe(200);
      expect(peers[0]!.requests.at(-1)!.existing_device!.token).toBe(ENROLL_TOKEN);
      const onOther = await post("/api/v1/enrollment/network_info", { pubkey: "PK=" }, cookie, other.url);
      expect(onOther.status).toBe(401);
      expect(peers[1]!.requests.at(-1)!.existing_device!.token).toBeUndefined();
    } finally {
      for (const p of peers) p.close();
      await Promise.all([same.stop(), other.stop()]);
    }
  });

  test("DEFGUARD_PROXY_COOKIE_INSECURE=true drops Secure", async () => {
    const insecure = await startTestProxy({ DEFGUARD_PROXY_COOKIE_INSECURE: "true" });
    const peer = connectTestCore({ target: insecure.target, answer });
    try {
      await peer.headers;
      await waitFor(() => insecure.proxy.links.connectedCount === 1);
      const { setCookies } = await post("/api/v1/enrollment/start", { token: ENROLL_TOKEN }, undefined, insecure.url);
      expect(setCookies[0]).toMatch(sessionCookie("defguard_proxy", false));
    } finally {
      peer.close();
      await insecure.stop();
    }
  });
});
