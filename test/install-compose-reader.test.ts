// The Compose reading rules the install tests rely on (test/install-compose.ts), against Compose's spec.
import { describe, expect, test } from "bun:test";
import { InterpolationError, interpolate, parseDotEnv, referencedVariables, requiredVariables } from "./install-compose.ts";

describe("interpolate", () => {
  const vars = { SET: "value", EMPTY: "" };

  test("substitutes ${VAR} and $VAR, and unset variables as empty", () => {
    expect(interpolate("a ${SET} $SET ${UNSET}.", vars)).toBe("a value value .");
  });

  test("$$ is a literal $ left for the container's shell", () => {
    expect(interpolate("pg_isready -U $${POSTGRES_USER}", vars)).toBe("pg_isready -U ${POSTGRES_USER}");
  });

  test(":- falls back when unset or empty, - only when unset", () => {
    expect(interpolate("${EMPTY:-d} ${UNSET:-d} ${SET:-d}", vars)).toBe("d d value");
    expect(interpolate("[${EMPTY-d}] ${UNSET-d}", vars)).toBe("[] d");
  });

  test(":? refuses unset or empty with its message, ? only unset", () => {
    expect(() => interpolate("${EMPTY:?fill it in}", vars)).toThrow(new InterpolationError("EMPTY", "fill it in"));
    expect(() => interpolate("${UNSET?}", vars)).toThrow(InterpolationError);
    expect(interpolate("[${EMPTY?x}]", vars)).toBe("[]");
  });

  test(":+ and + replace only a set value", () => {
    expect(interpolate("${SET:+yes}/${EMPTY:+yes}/${EMPTY+yes}/${UNSET+yes}", vars)).toBe("yes//yes/");
  });
});

test("referencedVariables and requiredVariables walk the whole document", () => {
  const doc = { a: ["${X:-1}", { b: "${Y:?must} $$NOT_A_VAR $Z" }] };
  expect([...referencedVariables(doc)].sort()).toEqual(["X", "Y", "Z"]);
  expect([...requiredVariables(doc)]).toEqual(["Y"]);
});

test("parseDotEnv reads KEY=VALUE lines, skips comments and blanks, strips quotes", () => {
  expect(parseDotEnv("# c\n\nA=1\nB=\nC=\"x y\"\n#D=2\nexport E='z'\n")).toEqual({ A: "1", B: "", C: "x y", E: "z" });
  expect(() => parseDotEnv("not a line")).toThrow("not a KEY=VALUE line");
});
