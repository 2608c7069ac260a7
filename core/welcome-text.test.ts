import { describe, expect, test } from "bun:test";
import { fillWelcomeText, welcomeMailHtml } from "./welcome-text.ts";

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

describe("welcomeMailHtml", () => {
  test("the admin's Markdown rendered; the names in it are text, whatever they hold", () => {
    const user = { first_name: "<i>Eve</i>", last_name: "[x](https://evil.example)", username: "eve_1" };
    expect(welcomeMailHtml("**{first_name}** {last_name} ({username}) [docs](https://example.com)", user)).toBe(
      '<p><strong>&lt;i&gt;Eve&lt;/i&gt;</strong> [x](https://evil.example) (eve_1) <a href="https://example.com/" rel="noopener noreferrer" target="_blank">docs</a></p>\n',
    );
  });
});
