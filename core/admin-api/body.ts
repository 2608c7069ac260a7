// Reading and validating JSON bodies: every refusal is a 400 whose message names the field at fault.
import type { Context } from "hono";
import type { z } from "zod";
import { invalidArgument } from "../../shared/errors.ts";
import { MAX_STRING_LENGTH, findUnsafeString } from "../../shared/unsafe-strings.ts";
import { validate } from "../validation.ts";

/**
 * The request's JSON body validated against `schema`; a body that is not JSON is a 400 too. Every string
 * is first held to `maxStringLength` (default MAX_STRING_LENGTH, 4096): a route whose schema allows longer
 * text (the settings' Markdown) raises it to that schema's own limit, which then names the field.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S, maxStringLength = MAX_STRING_LENGTH): Promise<z.output<S>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw invalidArgument("request body: expected JSON");
  }
  const unsafe = findUnsafeString(value, [], maxStringLength);
  if (unsafe) throw invalidArgument(`${unsafe.field || "request body"}: ${unsafe.problem}`);
  return validate(schema, value);
}
