import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createCookieSealer } from "../cookie-seal.ts";
import { ENROLLMENT_COOKIE, PASSWORD_RESET_COOKIE, createSessionCookies } from "./session-cookies.ts";

describe("session cookies", () => {
  test("a deadline beyond 400 days is clamped (browsers would drop the cookie otherwise)", async () => {
    const cookies = createSessionCookies(createCookieSealer(undefined), { insecure: false });
    const app = new Hono().get("/", (c) => {
      cookies.set(c, ENROLLMENT_COOKIE, "token", 4102444800);
      return c.body(null);
    });
    const res = await app.request("/");
    const expires = /Expires=([^;]+)/.exec(res.headers.get("set-cookie")!)![1]!;
    expect(Date.parse(expires)).toBeLessThanOrEqual(Date.now() + 400 * 86_400_000);
    expect(Date.parse(expires)).toBeGreaterThan(Date.now() + 399 * 86_400_000);
  });

  test("read opens what set sealed, and nothing else", async () => {
    const cookies = createSessionCookies(createCookieSealer(undefined), { insecure: true });
    const app = new Hono()
      .get("/set", (c) => {
        cookies.set(c, ENROLLMENT_COOKIE, "the-token", Math.floor(Date.now() / 1000) + 600);
        return c.body(null);
      })
      .get("/read", (c) => c.text(cookies.read(c, ENROLLMENT_COOKIE) ?? "(none)"));
    const set = await app.request("/set");
    const pair = set.headers.get("set-cookie")!.split(";")[0]!;
    expect(await (await app.request("/read", { headers: { cookie: pair } })).text()).toBe("the-token");
    expect(await (await app.request("/read", { headers: { cookie: "defguard_proxy=the-token" } })).text()).toBe("(none)");
    expect(await (await app.request("/read")).text()).toBe("(none)");
  });

  test.each([[ENROLLMENT_COOKIE], [PASSWORD_RESET_COOKIE]] as const)(
    "the whole Set-Cookie line of %s sent back as Cookie (as the desktop client does) reads the token",
    async (name) => {
      const cookies = createSessionCookies(createCookieSealer(undefined), { insecure: false });
      const app = new Hono()
        .get("/set", (c) => {
          cookies.set(c, name, "the-token", Math.floor(Date.now() / 1000) + 600);
          return c.body(null);
        })
        .get("/read", (c) => c.text(cookies.read(c, name) ?? "(none)"));
      const line = (await app.request("/set")).headers.getSetCookie().find((l) => l.startsWith(`${name}=`))!;
      expect(line).toMatch(new RegExp(`^${name}=[^;]+; Path=/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$`));
      expect(await (await app.request("/read", { headers: { cookie: line } })).text()).toBe("the-token");
    },
  );
});
