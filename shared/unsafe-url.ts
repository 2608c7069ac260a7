// The URL counterpart of unsafe-strings.ts, as Hono middleware: a path segment or query value that decodes
// to NUL, a lone surrogate or an over-long string is a 400 before any route hands it to the database.
import type { MiddlewareHandler } from "hono";
import { invalidArgument } from "./errors.ts";
import { stringProblem } from "./unsafe-strings.ts";

/** Longest path segment or query value any route needs (user names, ids, group names). */
const MAX_URL_PART = 256;

function decoded(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** Why the URL of `request` is unacceptable, or null. */
export function urlProblem(url: URL): string | null {
  for (const segment of url.pathname.split("/")) {
    const text = decoded(segment);
    if (text === null) return "path: invalid percent-encoding";
    const problem = stringProblem(text, MAX_URL_PART);
    if (problem) return `path: ${problem}`;
  }
  for (const [name, value] of url.searchParams) {
    const problem = stringProblem(name, MAX_URL_PART) ?? stringProblem(value, MAX_URL_PART);
    if (problem) return `query parameter: ${problem}`;
  }
  return null;
}

/** Throws AppError INVALID_ARGUMENT (400 through the app's error handler) for an unacceptable URL. */
export function rejectUnsafeUrl(): MiddlewareHandler {
  return async function rejectUnsafeUrl(c, next) {
    const problem = urlProblem(new URL(c.req.url));
    if (problem) throw invalidArgument(problem);
    await next();
  };
}
