// Strings no field of ours ever needs, found anywhere in a parsed input: NUL (PostgreSQL refuses it in
// text, so it would surface as a 500), lone UTF-16 surrogates (not encodable as UTF-8), and anything
// longer than a field could sensibly be. Checked at every edge, so a bad string is a 400 naming its field.

/** Longer than any field we read (a JWT, a password, a network's description) could need. */
export const MAX_STRING_LENGTH = 4096;
/** Deeper than any body we accept is nested; deeper input is refused without walking it further. */
const MAX_DEPTH = 32;

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnsafeString {
  /** `token`, `configs.0.name`; "" for the value itself. */
  field: string;
  problem: string;
}

/** Why `text` is unacceptable, or null. */
export function stringProblem(text: string, maxLength = MAX_STRING_LENGTH): string | null {
  if (text.length > maxLength) return `expected at most ${maxLength} characters`;
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(text)) return "must be valid Unicode (lone surrogate)";
  return null;
}

/** The first unsafe string (or key) in `value`, depth-first; null when there is none. */
export function findUnsafeString(value: unknown, path: string[] = [], maxLength = MAX_STRING_LENGTH): UnsafeString | null {
  if (typeof value === "string") {
    const problem = stringProblem(value, maxLength);
    return problem ? { field: path.join("."), problem } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (path.length >= MAX_DEPTH) return { field: path.join("."), problem: `expected at most ${MAX_DEPTH} levels of nesting` };
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = stringProblem(key, 256);
    if (keyProblem) return { field: [...path, key.slice(0, 32)].join("."), problem: `field name ${keyProblem}` };
    const found = findUnsafeString(item, [...path, key], maxLength);
    if (found) return found;
  }
  return null;
}
