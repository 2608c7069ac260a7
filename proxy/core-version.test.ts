import { describe, expect, test } from "bun:test";
import { MIN_PEER_VERSION } from "../shared/version.ts";
import { coreVersionRefusal } from "./core-version.ts";

describe("coreVersionRefusal", () => {
  test.each(["1.6.0", "0.1.0", "2.0.0-beta.1", "10.20.30+build.5", MIN_PEER_VERSION])("accepts %s", (v) => {
    expect(coreVersionRefusal(v)).toBeNull();
  });

  test("refuses a missing version", () => {
    expect(coreVersionRefusal(undefined)).toBe(
      `missing defguard-component-version metadata; Defguard Core ${MIN_PEER_VERSION} or newer is required`,
    );
    expect(coreVersionRefusal("")).toContain("missing defguard-component-version");
  });

  test.each(["1.6", "v1.6.0", "banana", "1.6.0.1"])("refuses the non-semver %s", (v) => {
    expect(coreVersionRefusal(v)).toBe(`defguard-component-version ${JSON.stringify(v)} is not a semantic version`);
  });

  test("refuses a version older than the minimum", () => {
    expect(coreVersionRefusal("0.0.9")).toBe(`Defguard Core "0.0.9" is too old; ${MIN_PEER_VERSION} or newer is required`);
  });

  test("quotes at most 64 characters of a hostile value", () => {
    expect(coreVersionRefusal("x".repeat(1000))!.length).toBeLessThan(120);
  });
});
