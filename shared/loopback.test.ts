import { describe, expect, test } from "bun:test";
import { isLoopbackAddress } from "./loopback.ts";

describe("isLoopbackAddress", () => {
  test("loopback: localhost, 127.0.0.0/8, ::1 (bracketed too), IPv4-mapped 127.x", () => {
    for (const host of ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1"]) expect([host, isLoopbackAddress(host)]).toEqual([host, true]);
  });

  test("not loopback: every-address binds, other addresses, names", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "2001:db8::1", "core.example.com", ""]) expect([host, isLoopbackAddress(host)]).toEqual([host, false]);
  });
});
