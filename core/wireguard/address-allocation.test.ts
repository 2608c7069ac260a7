import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { allocateHosts, allocateHostsFor, firstFreeHost, hintAfter, hostSearch, inAddressOrder, isHostOf, parseCidr } from "./address-allocation.ts";

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

describe("allocateHostsFor", () => {
  test("gives what one device at a time would, gateway in the middle and dual stack alike", () => {
    const cidrs = fc.constantFrom<string[]>(["10.9.0.5/28"], ["10.9.0.1/29", "fd09::1/125"], ["10.9.0.0/28"]);
    const taken = fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 10 });
    fc.assert(
      fc.property(cidrs, taken, fc.integer({ min: 0, max: 16 }), (cidrs, hosts, count) => {
        const given = hosts.map((h) => `10.9.0.${h}`);
        const oneByOne: string[][] = [];
        const growing = [...given];
        for (let i = 0; i < count; i++) {
          const next = allocateHosts(cidrs, growing);
          if (!next) break;
          oneByOne.push(next);
          growing.push(...next);
        }
        const atOnce = allocateHostsFor(cidrs, given, count);
        if (oneByOne.length < count) expect(atOnce).toBeUndefined();
        else expect(atOnce).toEqual(oneByOne);
      }),
    );
  });

  test("none for no device; undefined when the network is too small", () => {
    expect(allocateHostsFor(["10.1.0.1/24"], [], 0)).toEqual([]);
    expect(allocateHostsFor(["10.1.0.1/30"], [], 1)).toEqual([["10.1.0.2"]]);
    expect(allocateHostsFor(["10.1.0.1/30"], [], 2)).toBeUndefined();
  });
});

describe("isHostOf", () => {
  test("host addresses of the CIDR only: not the network, broadcast or gateway address, not another family", () => {
    expect(isHostOf("10.1.0.1/24", "10.1.0.2")).toBe(true);
    expect(isHostOf("10.1.0.1/24", "10.1.0.254")).toBe(true);
    for (const address of ["10.1.0.0", "10.1.0.1", "10.1.0.255", "10.2.0.2", "fd00::2", "nonsense"]) expect(isHostOf("10.1.0.1/24", address)).toBe(false);
    expect(isHostOf("fd00::1/64", "fd00::ffff")).toBe(true);
  });
});

describe("hostSearch", () => {
  test("without a hint: from the lowest host to the highest, the IPv4 broadcast address left out", () => {
    expect(hostSearch("10.1.0.1/24", null)).toEqual({ start: "10.1.0.1", high: "10.1.0.254", gateway: "10.1.0.1", afterGateway: "10.1.0.2" });
    expect(hostSearch("fd00::1/126", null)).toEqual({ start: "fd00::1", high: "fd00::3", gateway: "fd00::1", afterGateway: "fd00::2" });
  });

  test("a hint inside the hosts moves the start; below the hosts or of the other family it is ignored", () => {
    expect(hostSearch("10.1.0.1/24", "10.1.0.9")).toMatchObject({ start: "10.1.0.9", afterGateway: null });
    expect(hostSearch("10.1.0.5/29", "10.1.0.3")).toMatchObject({ start: "10.1.0.3", afterGateway: "10.1.0.6" });
    expect(hostSearch("10.1.0.1/24", "10.0.255.9")).toMatchObject({ start: "10.1.0.1" });
    expect(hostSearch("10.1.0.1/24", "fd00::9")).toMatchObject({ start: "10.1.0.1" });
    expect(hostSearch("10.1.0.1/24", "not an address")).toMatchObject({ start: "10.1.0.1" });
  });

  test("a hint past the last host means full; so does a CIDR without hosts", () => {
    expect(hostSearch("10.1.0.1/24", "10.1.0.255")).toBeUndefined();
    expect(hostSearch("10.1.0.1/24", "10.1.0.254")).toMatchObject({ start: "10.1.0.254", high: "10.1.0.254" });
    expect(hostSearch("10.1.0.1/31", null)).toBeUndefined();
    expect(hostSearch("10.1.0.1/32", null)).toBeUndefined();
    expect(hostSearch("fd00::1/128", null)).toBeUndefined();
  });

  test("throws TypeError for a malformed CIDR", () => {
    expect(() => hostSearch("10.1.0.1", null)).toThrow(TypeError);
  });
});

describe("hintAfter", () => {
  test("the next address, in both families; the last address of a family stays itself", () => {
    expect(hintAfter("10.1.0.9")).toBe("10.1.0.10");
    expect(hintAfter("10.1.0.255")).toBe("10.1.1.0");
    expect(hintAfter("fd00::ffff")).toBe("fd00::1:0");
    expect(hintAfter("255.255.255.255")).toBe("255.255.255.255");
    expect(hintAfter("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect(() => hintAfter("nonsense")).toThrow(TypeError);
  });
});

describe("inAddressOrder", () => {
  test("IPv4 before IPv6, each by value (not as text), as PostgreSQL orders inet", () => {
    expect(inAddressOrder(["fd00::2", "10.0.0.10", "10.0.0.9", "fc00::1", "9.255.255.255"])).toEqual(["9.255.255.255", "10.0.0.9", "10.0.0.10", "fc00::1", "fd00::2"]);
    expect(inAddressOrder([])).toEqual([]);
  });
});
