import { describe, expect, test } from "bun:test";
import { allocateHosts, firstFreeHost, parseCidr } from "./address-allocation.ts";

describe("firstFreeHost", () => {
  test("skips the network address and the gateway in a /24", () => {
    expect(firstFreeHost("10.1.0.1/24", [])).toBe("10.1.0.2");
    expect(firstFreeHost("10.1.0.1/24", ["10.1.0.2", "10.1.0.3"])).toBe("10.1.0.4");
    expect(firstFreeHost("10.1.0.1/24", ["10.1.0.3"])).toBe("10.1.0.2");
  });

  test("a gateway in the middle of the range is skipped, addresses before it are given", () => {
    expect(firstFreeHost("10.1.0.5/29", [])).toBe("10.1.0.1");
    expect(firstFreeHost("10.1.0.5/29", ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4"])).toBe("10.1.0.6");
  });

  test("never gives the IPv4 broadcast address: a full /29 has nothing left", () => {
    const taken = ["10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6"];
    expect(firstFreeHost("10.1.0.1/29", taken)).toBeUndefined();
    expect(firstFreeHost("10.1.0.1/29", taken.slice(0, 4))).toBe("10.1.0.6");
  });

  test("/30 holds the gateway and one device", () => {
    expect(firstFreeHost("192.168.7.1/30", [])).toBe("192.168.7.2");
    expect(firstFreeHost("192.168.7.1/30", ["192.168.7.2"])).toBeUndefined();
  });

  test("a /30 written with its network address as gateway gives both hosts", () => {
    expect(firstFreeHost("192.168.7.0/30", [])).toBe("192.168.7.1");
    expect(firstFreeHost("192.168.7.0/30", ["192.168.7.1"])).toBe("192.168.7.2");
    expect(firstFreeHost("192.168.7.0/30", ["192.168.7.1", "192.168.7.2"])).toBeUndefined();
  });

  test("IPv4 /31 and /32 have no address for a device", () => {
    expect(firstFreeHost("10.0.0.0/31", [])).toBeUndefined();
    expect(firstFreeHost("10.0.0.1/31", [])).toBeUndefined();
    expect(firstFreeHost("10.0.0.1/32", [])).toBeUndefined();
  });

  test("IPv6 /126: the last address is usable (no broadcast in IPv6), then it is full", () => {
    expect(firstFreeHost("fd00::1/126", [])).toBe("fd00::2");
    expect(firstFreeHost("fd00::1/126", ["fd00::2"])).toBe("fd00::3");
    expect(firstFreeHost("fd00::1/126", ["fd00::2", "fd00::3"])).toBeUndefined();
  });

  test("IPv6 /127 with the gateway on the host has none, /128 has none", () => {
    expect(firstFreeHost("fd00::1/127", [])).toBeUndefined();
    expect(firstFreeHost("fd00::1/128", [])).toBeUndefined();
  });

  test("IPv6 addresses compare by value, whatever their spelling, and come out compact", () => {
    expect(firstFreeHost("fd00:0:0:1::1/64", ["FD00:0000:0000:0001:0000:0000:0000:0002"])).toBe("fd00:0:0:1::3");
    expect(firstFreeHost("2001:db8::1/64", [])).toBe("2001:db8::2");
  });

  test("a /64 with many taken addresses still answers quickly (walk bounded by the taken set)", () => {
    const taken = Array.from({ length: 5000 }, (_, i) => `fd00::${(i + 2).toString(16)}`);
    expect(firstFreeHost("fd00::1/64", taken)).toBe(`fd00::${(5002).toString(16)}`);
  });

  test("taken addresses outside the CIDR, of the other family, or malformed are ignored", () => {
    expect(firstFreeHost("10.1.0.1/24", ["10.2.0.2", "fd00::2", "garbage", "::ffff:10.1.0.2"])).toBe("10.1.0.2");
  });

  test("IPv4 in PostgreSQL's dotted decimal (read without ipaddr.js) and in other spellings ipaddr.js reads agree", () => {
    expect(firstFreeHost("10.1.0.1/24", ["10.1.0.2", "10.1.0.03", "0xa.1.0.4", "10.1.0.010", "10.1.0.256"])).toBe("10.1.0.5");
    expect(firstFreeHost("10.1.0.1/24", ["10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5"])).toBe("10.1.0.6");
    expect(firstFreeHost("0.0.0.1/30", ["0.0.0.2"])).toBeUndefined();
  });

  test("a /16 with 2,000 taken IPv4 addresses gives the next one", () => {
    const taken = Array.from({ length: 2000 }, (_, i) => `10.100.${(i + 2) >> 8}.${(i + 2) & 255}`);
    expect(firstFreeHost("10.100.0.1/16", taken)).toBe("10.100.7.210");
  });

  test("a bad CIDR is a TypeError", () => {
    expect(() => firstFreeHost("10.1.0.1", [])).toThrow(TypeError);
    expect(() => firstFreeHost("10.1.0.1/33", [])).toThrow(TypeError);
    expect(() => firstFreeHost("nonsense/24", [])).toThrow(TypeError);
  });
});

describe("allocateHosts", () => {
  test("gives one address per CIDR of a dual-stack network, in order", () => {
    expect(allocateHosts(["10.1.0.1/24", "fd00::1/64"], ["10.1.0.2", "fd00::2"])).toEqual(["10.1.0.3", "fd00::3"]);
  });

  test("all or nothing: a network with one full CIDR gives no address", () => {
    expect(allocateHosts(["10.1.0.1/30", "fd00::1/64"], ["10.1.0.2"])).toBeUndefined();
  });

  test("a network without CIDRs gives an empty list", () => {
    expect(allocateHosts([], [])).toEqual([]);
  });
});

describe("parseCidr", () => {
  test("keeps the gateway and finds the network's bounds", () => {
    expect(parseCidr("10.1.0.1/24")).toEqual({ kind: "ipv4", gateway: 0x0a010001n, first: 0x0a010000n, last: 0x0a0100ffn });
  });
});
