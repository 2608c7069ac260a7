// Reading a JSON request body against a zod schema; every failure is a 400 whose message names the field.
import type { Context } from "hono";
import type { z } from "zod";
import { invalidArgument } from "../../shared/errors.ts";
import { findUnsafeString } from "../../shared/unsafe-strings.ts";

export const INVALID_JSON_MESSAGE = "Invalid JSON in request body";

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A message a client can act on for the first problem zod found: `missing field "token"`, ... */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const field = issue.path.map(String).join(".");
  if (field === "") return "expected a JSON object";
  if (valueAt(input, issue.path) === undefined) return `missing field "${field}"`;
  if (issue.code === "invalid_type") return `invalid field "${field}": expected ${issue.expected}`;
  return `invalid field "${field}": ${issue.message}`;
}

/** The request body parsed and validated by `schema`; throws AppError INVALID_ARGUMENT (400) otherwise. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let input: unknown;
  try {
    input = JSON.parse(await c.req.text());
  } catch {
    throw invalidArgument(INVALID_JSON_MESSAGE);
  }
  const unsafe = findUnsafeString(input);
  if (unsafe) throw invalidArgument(unsafe.field ? `invalid field "${unsafe.field}": ${unsafe.problem}` : unsafe.problem);
  const result = schema.safeParse(input);
  if (!result.success) throw invalidArgument(describeIssue(result.error.issues[0]!, input));
  return result.data;
}
