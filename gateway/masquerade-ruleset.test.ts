import { describe, expect, test } from "bun:test";
import { masqueradeScript, masqueradeTable, removeScript } from "./masquerade-ruleset.ts";

/** Where `nft -c` (check only, nothing committed) can judge the scripts: root with nft. */
const canCheck = process.getuid?.() === 0 && Bun.which("nft") !== null;

describe("masquerade ruleset", () => {
  test("one table per interface, named after it", () => {
    expect(masqueradeTable("wg0")).toBe("defguard_wg0");
    expect(masqueradeTable("wg-office.1")).toBe("defguard_wg-office.1");
    expect(masqueradeTable("wg0")).not.toBe(masqueradeTable("wg1"));
  });

  test("replaces the table whole: dropped (whether or not it exists) and added in one script", () => {
    expect(masqueradeScript("wg0")).toBe(
      [
        "table inet defguard_wg0 {}",
        "delete table inet defguard_wg0",
        "table inet defguard_wg0 {",
        "\tchain postrouting {",
        "\t\ttype nat hook postrouting priority 100; policy accept;",
        '\t\tiifname "wg0" oifname != "wg0" counter masquerade comment "defguard-gateway DEFGUARD_MASQUERADE"',
        "\t}",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("the rule matches the interface it is for, in and not out", () => {
    expect(masqueradeScript("wg-office.1")).toContain('iifname "wg-office.1" oifname != "wg-office.1" counter masquerade');
  });

  test("removal drops the table and succeeds when there is none", () => {
    expect(removeScript("wg0")).toBe("table inet defguard_wg0 {}\ndelete table inet defguard_wg0\n");
  });

  test.skipIf(!canCheck)("nft accepts both scripts for every shape of name DEFGUARD_IFNAME allows (nft -c, root only)", async () => {
    for (const ifname of ["wg0", "0wg", "-wg", "...", "wg-office.1", "WG_x", "a.b-c_d.e-f1234"]) {
      for (const script of [masqueradeScript(ifname), removeScript(ifname)]) {
        const child = Bun.spawn(["nft", "-c", "-f", "-"], { stdin: new TextEncoder().encode(script), stdout: "pipe", stderr: "pipe" });
        const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
        expect({ ifname, code, stderr }).toEqual({ ifname, code: 0, stderr: "" });
      }
    }
  });
});
