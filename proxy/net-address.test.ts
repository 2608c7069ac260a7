import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { bareIp, formatGrpcPeer, hostPort } from "./net-address.ts";

describe("hostPort", () => {
  test("brackets IPv6 hosts only", () => {
    expect(hostPort("0.0.0.0", 50051)).toBe("0.0.0.0:50051");
    expect(hostPort("::", 50051)).toBe("[::]:50051");
    expect(hostPort("localhost", "8080")).toBe("localhost:8080");
  });
});

describe("bareIp", () => {
  test.each([
    ["10.1.2.3", "10.1.2.3"],
    [" 10.1.2.3 ", "10.1.2.3"],
    ["10.1.2.3:4567", "10.1.2.3"],
    ["::1", "::1"],
    ["[::1]:4567", "::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
  ])("%p -> %p", (input, expected) => {
    expect(bareIp(input)).toBe(expected);
  });

  test.each(["", "unknown", "example.com", "1.2.3", "300.1.1.1", "[::1"])("%p is no IP", (input) => {
    expect(bareIp(input)).toBeNull();
  });

  test("dotted quads, canonical or not, come out as ipaddr.js writes them (the fast path changes nothing)", () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^0\d{1,2}$/), fc.constant("256"));
    fc.assert(
      fc.property(fc.array(part, { minLength: 4, maxLength: 4 }), (parts) => {
        const text = parts.join(".");
        const expected = ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.process(text).toString() : null;
        expect(bareIp(text)).toBe(expected);
      }),
    );
  });
});

describe("formatGrpcPeer", () => {
  test.each([
    ["127.0.0.1:35916", "127.0.0.1:35916"],
    ["::1:35916", "[::1]:35916"],
    ["::ffff:10.123.123.2:35916", "10.123.123.2:35916"],
    ["unknown", "unknown"],
  ])("%p -> %p", (input, expected) => {
    expect(formatGrpcPeer(input)).toBe(expected);
  });
});
