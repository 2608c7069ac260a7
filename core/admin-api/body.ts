// Reading and validating JSON bodies: every refusal is a 400 whose message names the field at fault.
import type { Context } from "hono";
import type { z } from "zod";
import { invalidArgument } from "../../shared/errors.ts";

/** `field: problem` for each issue, `;`-separated; a missing field reads `field: is required`. */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.path.length === 0 && issue.code === "invalid_type") return "request body: expected a JSON object";
      const where = issue.path.length ? issue.path.join(".") : "request body";
      const missing = (issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input === undefined && issue.path.length > 0;
      return `${where}: ${missing ? "is required" : issue.message}`;
    })
    .join("; ");
}

/** Validates any value against `schema`; throws INVALID_ARGUMENT naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw invalidArgument(describeIssues(result.error.issues));
  return result.data;
}

/** The request's JSON body validated against `schema`; a body that is not JSON is a 400 too. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw invalidArgument("request body: expected JSON");
  }
  return validate(schema, value);
}
