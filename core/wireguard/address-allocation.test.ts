import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { allocateHosts, firstFreeFromSummary, firstFreeHost, hostBounds, inAddressOrder, parseCidr } from "./address-allocation.ts";

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

describe("hostBounds", () => {
  test("the lowest and highest host of a CIDR, gateway included; none for IPv4 /31 and /32, IPv6 /128", () => {
    expect(hostBounds("10.1.0.1/24")).toEqual({ low: "10.1.0.1", high: "10.1.0.254" });
    expect(hostBounds("fd00::1/126")).toEqual({ low: "fd00::1", high: "fd00::3" });
    expect(hostBounds("10.1.0.1/31")).toBeUndefined();
    expect(hostBounds("10.1.0.1/32")).toBeUndefined();
    expect(hostBounds("fd00::1/128")).toBeUndefined();
  });
});

describe("firstFreeFromSummary", () => {
  test("nothing taken: the first host that is not the gateway", () => {
    expect(firstFreeFromSummary("10.1.0.1/24", { count: 0, highest: null })).toEqual({ known: true, address: "10.1.0.2" });
    expect(firstFreeFromSummary("10.1.0.0/24", { count: 0, highest: null })).toEqual({ known: true, address: "10.1.0.1" });
  });

  test("a block from the bottom: the next host, stepping over the gateway; full after the last host", () => {
    expect(firstFreeFromSummary("10.1.0.1/24", { count: 3, highest: "10.1.0.4" })).toEqual({ known: true, address: "10.1.0.5" });
    expect(firstFreeFromSummary("10.1.0.5/29", { count: 3, highest: "10.1.0.3" })).toEqual({ known: true, address: "10.1.0.4" });
    expect(firstFreeFromSummary("10.1.0.5/29", { count: 4, highest: "10.1.0.4" })).toEqual({ known: true, address: "10.1.0.6" });
    expect(firstFreeFromSummary("10.1.0.1/29", { count: 5, highest: "10.1.0.6" })).toEqual({ known: true, address: undefined });
    expect(firstFreeFromSummary("fd00::1/64", { count: 2, highest: "fd00::3" })).toEqual({ known: true, address: "fd00::4" });
  });

  test("a gap below the highest, a taken gateway or a highest outside the hosts settle nothing", () => {
    expect(firstFreeFromSummary("10.1.0.1/24", { count: 2, highest: "10.1.0.4" })).toEqual({ known: false });
    expect(firstFreeFromSummary("10.1.0.1/24", { count: 2, highest: "10.1.0.2" })).toEqual({ known: false });
    expect(firstFreeFromSummary("10.1.0.1/24", { count: 1, highest: "10.2.0.9" })).toEqual({ known: false });
    expect(firstFreeFromSummary("10.1.0.1/24", { count: 1, highest: "fd00::2" })).toEqual({ known: false });
  });

  test("whenever it settles the question, it agrees with firstFreeHost over the whole list", () => {
    const cidrs = fc.record({ prefix: fc.integer({ min: 26, max: 30 }), gatewayHost: fc.integer({ min: 0, max: 63 }) });
    fc.assert(
      fc.property(cidrs, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 64 }), fc.boolean(), ({ prefix, gatewayHost }, hosts, dense) => {
        const size = 2 ** (32 - prefix);
        const cidr = `10.9.0.${gatewayHost % size}/${prefix}`;
        const { first, gateway } = parseCidr(cidr);
        // Either a block from the bottom (the gateway stepped over) or any set of hosts.
        const candidates = Array.from({ length: size - 2 }, (_, i) => first + BigInt(i + 1)).filter((a) => a !== gateway);
        const picked = dense ? candidates.slice(0, hosts.length % (candidates.length + 1)) : candidates.filter((_, i) => hosts.includes(i));
        const taken = picked.map((a) => `10.9.0.${Number(a & 0xffn)}`);
        const highest = picked.length ? `10.9.0.${Number(picked.reduce((m, a) => (a > m ? a : m)) & 0xffn)}` : null;
        const answer = firstFreeFromSummary(cidr, { count: picked.length, highest });
        if (dense) expect(answer.known).toBe(true);
        if (answer.known) expect(answer.address).toBe(firstFreeHost(cidr, taken));
      }),
    );
  });
});

describe("inAddressOrder", () => {
  test("IPv4 before IPv6, each by value (not as text), as PostgreSQL orders inet", () => {
    expect(inAddressOrder(["fd00::2", "10.0.0.10", "10.0.0.9", "fc00::1", "9.255.255.255"])).toEqual(["9.255.255.255", "10.0.0.9", "10.0.0.10", "fc00::1", "fd00::2"]);
    expect(inAddressOrder([])).toEqual([]);
  });
});
