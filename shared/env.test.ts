import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { EnvError, bool, parseEnv, port, positiveInt } from "./env.ts";

const schema = z.object({ A_PORT: port(50051), A_TIMEOUT: positiveInt(5000), A_FLAG: bool(false) });

describe("parseEnv", () => {
  test("applies defaults and returns a frozen object", () => {
    const cfg = parseEnv(schema, {});
    expect(cfg).toEqual({ A_PORT: 50051, A_TIMEOUT: 5000, A_FLAG: false });
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  test("treats empty strings as unset", () => {
    expect(parseEnv(schema, { A_PORT: "" }).A_PORT).toBe(50051);
  });

  test("accepts valid values", () => {
    expect(parseEnv(schema, { A_PORT: "0", A_TIMEOUT: "1", A_FLAG: "true" })).toEqual({ A_PORT: 0, A_TIMEOUT: 1, A_FLAG: true });
  });

  test("lists every problem with the variable's name", () => {
    try {
      parseEnv(schema, { A_PORT: "70000", A_TIMEOUT: "soon", A_FLAG: "maybe" });
      throw new Error("parseEnv accepted bad input");
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const problems = (err as EnvError).problems;
      expect(problems).toEqual([
        "A_PORT: expected a port number (0-65535)",
        "A_TIMEOUT: expected a positive whole number",
        "A_FLAG: expected true or false",
      ]);
    }
  });
});

import { parseDurationSeconds } from "./env.ts";

describe("parseDurationSeconds", () => {
  test("accepts Defguard's humantime forms", () => {
    expect(parseDurationSeconds("600")).toBe(600);
    expect(parseDurationSeconds("600s")).toBe(600);
    expect(parseDurationSeconds("10m")).toBe(600);
    expect(parseDurationSeconds("24h")).toBe(86400);
    expect(parseDurationSeconds("1h 30m")).toBe(5400);
    expect(parseDurationSeconds("7d")).toBe(604800);
  });
  test("rejects anything else", () => {
    for (const bad of ["", "ten minutes", "10x", "m", "-5", "1.5h"]) expect(parseDurationSeconds(bad)).toBeNull();
  });
});
