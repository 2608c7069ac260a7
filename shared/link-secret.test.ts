import { expect, test } from "bun:test";
import { sharedSecretMatches, sharedSecretSchema } from "./link-secret.ts";

const SECRET = "s".repeat(40);

test("the same secret matches; another, a prefix, a longer one or an empty one does not", () => {
  expect(sharedSecretMatches(SECRET, SECRET)).toBe(true);
  for (const other of ["t".repeat(40), SECRET.slice(0, 39), `${SECRET}s`, ""]) expect(sharedSecretMatches(other, SECRET)).toBe(false);
});

test("the variable takes 32 characters or more, and nothing shorter", () => {
  expect(sharedSecretSchema.parse("x".repeat(32))).toBe("x".repeat(32));
  expect(sharedSecretSchema.parse(undefined)).toBeUndefined();
  expect(sharedSecretSchema.safeParse("x".repeat(31)).error?.issues[0]?.message).toBe(
    "expected a secret of at least 32 characters (e.g. openssl rand -hex 32), the same on the core and the proxy",
  );
});
