import { expect, test } from "bun:test";
import { urlProblem } from "./unsafe-url.ts";

test.each([
  ["http://x/api/v1/user/alice", null],
  ["http://x/api/v1/user/%C5%BC%C3%B3%C5%82w", null],
  ["http://x/api/v1/user/a%00b", "path: must not contain NUL characters"],
  ["http://x/api/v1/user/%ED%A0%80", "path: invalid percent-encoding"],
  ["http://x/api/v1/user/%E0%A4%A", "path: invalid percent-encoding"],
  [`http://x/api/v1/user/${"a".repeat(300)}`, "path: expected at most 256 characters"],
  ["http://x/api/v1/audit?limit=10", null],
  ["http://x/api/v1/audit?limit=%00", "query parameter: must not contain NUL characters"],
])("%p -> %p", (url, problem) => {
  expect(urlProblem(new URL(url))).toBe(problem);
});
