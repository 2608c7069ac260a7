import { describe, expect, test } from "bun:test";
import { fillWelcomeText } from "./welcome-text.ts";

const ALICE = { first_name: "Alice", last_name: "Liddell", username: "alice" };

describe("fillWelcomeText", () => {
  test("{first_name}, {last_name} and {username} are filled in, each as often as it stands", () => {
    expect(fillWelcomeText("Hi {first_name} {last_name} ({username}), {first_name}!", ALICE)).toBe("Hi Alice Liddell (alice), Alice!");
  });

  test("other braces are left as written", () => {
    expect(fillWelcomeText("{email} {First_name} {first_name } {{username}}", ALICE)).toBe("{email} {First_name} {first_name } {alice}");
  });

  test("one pass: a name that reads like a placeholder is not filled in again", () => {
    expect(fillWelcomeText("{first_name} / {last_name}", { ...ALICE, first_name: "{last_name}" })).toBe("{last_name} / Liddell");
  });

  test("each value goes through escape; the template does not", () => {
    expect(fillWelcomeText("*{first_name}*", { ...ALICE, first_name: "A*B" }, (v) => v.replaceAll("*", "\\*"))).toBe("*A\\*B*");
  });
});
