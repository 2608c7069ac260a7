// Turning zod issues into one message that names each field at fault, for every edge that validates
// input (admin API bodies, command-line options).
import type { z } from "zod";
import { invalidArgument } from "../shared/errors.ts";

/** How a field is called where the input came from: `email` in JSON, `--email` on the command line. */
export type FieldNamer = (path: PropertyKey[]) => string;

const jsonFieldName: FieldNamer = (path) => path.map(String).join(".");

/** `field: problem` for each issue, `;`-separated; a missing field reads `field: is required`. */
export function describeIssues(issues: z.core.$ZodIssue[], nameOf: FieldNamer = jsonFieldName): string {
  return issues
    .map((issue) => {
      if (issue.path.length === 0 && issue.code === "invalid_type") return "request body: expected a JSON object";
      const where = issue.path.length ? nameOf(issue.path) : "request body";
      const missing = (issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input === undefined && issue.path.length > 0;
      return `${where}: ${missing ? "is required" : issue.message}`;
    })
    .join("; ");
}

/** Validates `value` against `schema`; throws AppError INVALID_ARGUMENT naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, nameOf?: FieldNamer): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw invalidArgument(describeIssues(result.error.issues, nameOf));
  return result.data;
}
