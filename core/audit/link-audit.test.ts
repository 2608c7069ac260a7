import { describe, expect, test } from "bun:test";
import { AppError, GrpcStatus } from "../../shared/errors.ts";
import { createLogger } from "../../shared/logger.ts";
import type { RequestPayloadKind } from "../dispatcher.ts";
import { observeHandlers } from "../handler-observers.ts";
import { type AuditEvent, type AuditLog, storableText } from "./audit-log.ts";
import type { AuditSubjects } from "./audit-subjects.ts";
import { linkAuditObserver } from "./link-audit.ts";

function recorder() {
  const pending: Promise<AuditEvent | null>[] = [];
  const audit: AuditLog = {
    record: (event) => void pending.push(Promise.resolve(event)),
    list: async () => [],
    settled: async () => {},
  };
  return { audit, events: async () => (await Promise.all(pending)).filter((e): e is AuditEvent => e !== null) };
}

const subjects: AuditSubjects = {
  userOfToken: async (token) => (token === "good-token" ? "alice" : null),
  userOfMfaToken: async (token) => (token === "good-jwt" ? "bob" : null),
  userOfEmail: async (email) => (email?.toLowerCase() === "carol@example.com" ? "carol" : null),
};

const deviceInfo = { ip_address: "198.51.100.7", user_agent: "defguard-client/1.6", version: "", platform: "" } as never;
const log = createLogger({ level: "error", format: "text", target: "test", write: () => {} });

async function run(kind: RequestPayloadKind, request: object, answer: () => Promise<object>) {
  const { audit, events } = recorder();
  const handlers = observeHandlers({ [kind]: answer } as never, [linkAuditObserver(audit, subjects)]);
  await (handlers[kind] as (r: object, c: object) => Promise<object>)(request, { deviceInfo, log }).catch(() => {});
  return events();
}

describe("linkAuditObserver", () => {
  const ok = async () => ({ empty: {} });
  const refused = async () => {
    throw new AppError(GrpcStatus.UNAUTHENTICATED, "Invalid token");
  };
  const cases: [RequestPayloadKind, object, string, string | null, object?][] = [
    ["enrollment_start", { token: "good-token" }, "enrollment_started", "alice"],
    ["activate_user", { token: "good-token", password: "secret" }, "enrollment_completed", "alice"],
    ["new_device", { token: "good-token", name: "laptop", pubkey: "pk=" }, "device_added", "alice", { device: "laptop", pubkey: "pk=" }],
    ["password_reset_init", { email: "Carol@example.com" }, "password_reset_requested", "carol", { email: "Carol@example.com" }],
    ["password_reset_start", { token: "good-token" }, "password_reset_started", "alice"],
    ["password_reset", { token: "good-token", password: "secret" }, "password_reset_completed", "alice"],
    ["code_mfa_setup_finish", { token: "good-token", code: "123456", method: 0 }, "mfa_setup", "alice", { method: 0 }],
    ["client_mfa_finish", { token: "good-jwt", code: "123456" }, "mfa_login", "bob"],
  ];
  for (const [kind, request, event, username, details] of cases) {
    test(`${kind}: ${event} success and failure, with the client, never a password`, async () => {
      const [success] = await run(kind, request, ok);
      expect(success).toEqual({ event, outcome: "success", username, ipAddress: "198.51.100.7", userAgent: "defguard-client/1.6", details } as AuditEvent);
      const [failure] = await run(kind, request, refused);
      expect(failure).toMatchObject({ event, outcome: "failure", username, details: { ...details, reason: "Invalid token" } });
      expect(JSON.stringify([success, failure])).not.toContain("secret");
    });
  }

  test("a flow that set context.username names the user, no lookup", async () => {
    const { audit, events } = recorder();
    const handlers = observeHandlers({ activate_user: async (_r: object, c: { username?: string }) => ((c.username = "erin"), { empty: {} }) } as never, [linkAuditObserver(audit, subjects)]);
    await (handlers.activate_user as (r: object, c: object) => Promise<object>)({ token: "unknown" }, { deviceInfo, log });
    expect((await events())[0]?.username).toBe("erin");
  });

  test("enrollment_start names the user from the answer when it has one", async () => {
    const [event] = await run("enrollment_start", { token: "other" }, async () => ({ enrollment_start: { user: { login: "dave" } } }));
    expect(event?.username).toBe("dave");
  });

  test("an unexpected error is recorded as an internal error, without its message", async () => {
    const [event] = await run("enrollment_start", { token: "x" }, async () => {
      throw new Error("connection to database lost at 10.0.0.5");
    });
    expect(event?.details).toEqual({ reason: "internal error" });
  });

  test("payloads that are no security event are not recorded", async () => {
    expect(await run("instance_info", { token: "t" }, ok)).toEqual([]);
    expect(await run("client_mfa_token_validation", { token: "t" }, ok)).toEqual([]);
  });

  test("an observer that throws does not change the answer", async () => {
    const handlers = observeHandlers({ instance_info: async () => ({ empty: {} }) } as never, [
      () => {
        throw new Error("observer bug");
      },
    ]);
    expect(await (handlers.instance_info as (r: object, c: object) => Promise<object>)({ token: "t" }, { log })).toEqual({ empty: {} });
  });
});

describe("storableText", () => {
  test.each([
    [undefined, null],
    ["", null],
    ["ok", "ok"],
    ["a\u0000b", "ab"],
    ["\ud800x", "\ufffdx"],
    ["x".repeat(600), "x".repeat(512)],
  ])("%p -> %p", (input, output) => {
    expect(storableText(input)).toBe(output);
  });
});
