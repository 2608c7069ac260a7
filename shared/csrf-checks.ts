// What the Proxy's API and the Core's admin API check against requests forged by another site: the
// origin a browser names in `Origin`, and the JSON media type that an HTML form cannot send cross-origin
// without a CORS preflight (which neither service answers).

/** Methods that change nothing; every other method is checked. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host (and port) of an Origin header; null for `null` or anything that is no http(s) URL. */
export function originHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** True for `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}
