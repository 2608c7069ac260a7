import { describe, expect, test } from "bun:test";
import { parseGatewayCidr, parseRouteCidr, splitList } from "./cidr.ts";

describe("parseGatewayCidr", () => {
  test("accepts gateway addresses in IPv4 and IPv6 and writes them canonically", () => {
    const accepted: Array<[string, string]> = [
      ["10.1.0.1/24", "10.1.0.1/24"],
      [" 192.168.7.254/24 ", "192.168.7.254/24"],
      ["10.0.0.1/30", "10.0.0.1/30"],
      ["fd00:0000::1/64", "fd00::1/64"],
      ["FD00::A/126", "fd00::a/126"],
    ];
    for (const [input, value] of accepted) expect(parseGatewayCidr(input)).toEqual({ ok: true, value });
  });

  test("refuses what cannot be a gateway, saying why", () => {
    const refused: Array<[string, string]> = [
      ["10.1.0.1", "10.1.0.1 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      ["10.1.0.1/33", "10.1.0.1/33 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      ["10.1.0.1/24/1", "10.1.0.1/24/1 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      ["0x0a.1.0.1/24", "0x0a.1.0.1/24 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      ["10.1.0.1/ 24", "10.1.0.1/ 24 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      ["10.1.0.0/24", "10.1.0.0/24 is the network's own address; give the gateway's, e.g. 10.1.0.1/24"],
      ["10.1.0.255/24", "10.1.0.255/24 is the broadcast address; give the gateway's address"],
      ["10.1.0.1/32", "10.1.0.1/32 leaves no room for devices (prefix at most /30)"],
      ["fd00::1/127", "fd00::1/127 leaves no room for devices (prefix at most /126)"],
      ["fd00::/64", "fd00::/64 is the network's own address; give the gateway's, e.g. fd00::1/64"],
    ];
    for (const [input, problem] of refused) expect(parseGatewayCidr(input)).toEqual({ ok: false, problem });
  });
});

describe("parseRouteCidr", () => {
  test("networks and bare hosts, normalized", () => {
    expect(parseRouteCidr("0.0.0.0/0")).toEqual({ ok: true, value: "0.0.0.0/0" });
    expect(parseRouteCidr("10.0.0.7")).toEqual({ ok: true, value: "10.0.0.7/32" });
    expect(parseRouteCidr("::/0")).toEqual({ ok: true, value: "::/0" });
    expect(parseRouteCidr("2001:DB8::5")).toEqual({ ok: true, value: "2001:db8::5/128" });
    expect(parseRouteCidr("10.0.0.0/40")).toEqual({ ok: false, problem: "10.0.0.0/40 is not an address or network such as 10.0.0.0/8 or ::/0" });
    expect(parseRouteCidr("example.com")).toEqual({ ok: false, problem: "example.com is not an address or network such as 10.0.0.0/8 or ::/0" });
  });
});

test("splitList takes comma-separated text or a list and drops blanks", () => {
  expect(splitList(" a, b ,,c ")).toEqual(["a", "b", "c"]);
  expect(splitList([" a ", ""])).toEqual(["a"]);
  expect(splitList("")).toEqual([]);
});
