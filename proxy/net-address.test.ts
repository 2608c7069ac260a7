import { describe, expect, test } from "bun:test";
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
