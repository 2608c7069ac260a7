import { describe, expect, test } from "bun:test";
import { parseTrustedProxies, trustedProxies } from "./trusted-proxies.ts";

describe("parseTrustedProxies", () => {
  test.each([
    ["", []],
    ["10.0.0.1", ["10.0.0.1/32"]],
    [" 10.0.0.0/8 , 192.168.1.0/24,::1 ", ["10.0.0.0/8", "192.168.1.0/24", "::1/128"]],
    ["2001:db8::/32,::ffff:172.16.0.1", ["2001:db8::/32", "172.16.0.1/32"]],
    ["10.0.0.1,,", ["10.0.0.1/32"]],
  ])("accepts %p", (text, expected) => {
    expect(parseTrustedProxies(text)).toEqual(expected);
  });

  test.each([
    ["proxy.example.com", "proxy.example.com"],
    ["10.0.0.1:80", "10.0.0.1:80"],
    ["10.0.0.0/33", "10.0.0.0/33"],
    ["::1/129", "::1/129"],
    ["10.1", "10.1"],
    ["10.0.0.0/8/1", "10.0.0.0/8/1"],
    ["10.0.0.0/x", "10.0.0.0/x"],
    ["10.0.0.1, nope", "nope"],
  ])("refuses %p, naming %p", (text, bad) => {
    expect(parseTrustedProxies(text)).toBe(bad);
  });
});

describe("trustedProxies", () => {
  const trusted = trustedProxies(["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"]);
  test.each([
    ["10.1.2.3", true],
    ["::ffff:10.1.2.3", true],
    ["11.0.0.1", false],
    ["192.0.2.7", true],
    ["192.0.2.8", false],
    ["2001:db8:1::5", true],
    ["2001:db9::5", false],
    ["garbage", false],
  ])("%p -> %p", (address, expected) => {
    expect(trusted.contains(address)).toBe(expected);
  });

  test("an empty list trusts nobody", () => {
    expect(trustedProxies([]).contains("127.0.0.1")).toBe(false);
    expect(trustedProxies([]).empty).toBe(true);
  });
});
