import { describe, expect, test } from "bun:test";
import { canonicalCidr, cleanAddresses, diffSettings } from "./interface-settings.ts";

describe("interface settings", () => {
  test("CIDRs are written as ip -j addr reports them; anything else is set aside", () => {
    expect(canonicalCidr("100.64.0.1/24")).toBe("100.64.0.1/24");
    expect(canonicalCidr("fd00:0::1/64")).toBe("fd00::1/64");
    expect(cleanAddresses(["100.64.0.1/24", "100.64.0.1/24", "10.0.0.1", "nonsense"])).toEqual({ valid: ["100.64.0.1/24"], invalid: ["10.0.0.1", "nonsense"] });
  });
  test("an unknown interface gets everything set", () => {
    expect(diffSettings(undefined, { prvkey: "k", port: 51820, addresses: ["100.64.0.1/24"] })).toEqual({
      prvkey: "k",
      port: 51820,
      addAddresses: ["100.64.0.1/24"],
      removeAddresses: [],
    });
  });
  test("only what differs changes: a readdressed network swaps addresses and keeps key and port", () => {
    const have = { prvkey: "k", port: 51820, addresses: ["100.64.0.1/24", "fd00::1/64"] };
    expect(diffSettings(have, { prvkey: "k", port: 51820, addresses: ["100.65.0.1/24", "fd00::1/64"] })).toEqual({
      prvkey: undefined,
      port: undefined,
      addAddresses: ["100.65.0.1/24"],
      removeAddresses: ["100.64.0.1/24"],
    });
    expect(diffSettings(have, { ...have, port: 51821 }).port).toBe(51821);
  });
});
