import { describe, expect, test } from "bun:test";
import { EnvError } from "../shared/env.ts";
import { loadCoreConfig } from "./config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadCoreConfig(env);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  throw new Error("accepted");
}

describe("DEFGUARD_METRICS_PORT", () => {
  test("unset: no metrics listener", () => {
    expect(loadCoreConfig({}).metricsPort).toBeUndefined();
  });

  test.each([["0", 0], ["9100", 9100], ["65535", 65535]])("accepts %p", (value, port) => {
    expect(loadCoreConfig({ DEFGUARD_METRICS_PORT: value }).metricsPort).toBe(port);
  });

  test.each([["65536"], ["http"], ["-1"], ["91 00"]])("refuses %p", (value) => {
    expect(problems({ DEFGUARD_METRICS_PORT: value })).toEqual(["DEFGUARD_METRICS_PORT: expected a port number (0-65535)"]);
  });
});
