// fast-check generators of hostile HTTP requests for the fuzz tests: paths, methods, headers and JSON
// bodies built from the fields each endpoint reads, filled with valid values from a pool (so some inputs
// reach deep into the flows) or with Unicode, NUL, lone surrogates, very long strings, numbers where
// strings belong, nulls, deep nesting, duplicate keys and plain garbage.
import fc from "fast-check";

/** A generated request, before it becomes a `Request`. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body?: string;
}

export type FieldKind = "token" | "password" | "phone" | "name" | "pubkey" | "method" | "methodNumber" | "code" | "email" | "id" | "bool" | "list" | "text";

export interface FuzzEndpoint {
  method: string;
  path: string;
  fields: Record<string, FieldKind>;
}

/** Valid and near-valid values per kind of field; filled in by the test from its seeded data. */
export type ValuePool = Record<FieldKind, unknown[]>;

export const basePool = (): ValuePool => ({
  token: ["", "A".repeat(32), "abcdefghijklmnopqrstuvwxyz012345", "eyJhbGciOiJIUzI1NiJ9.e30.sig", "x".repeat(4097)],
  password: ["Passw0rd!", "short", "NoDigits!!", "x".repeat(200)],
  phone: ["+48 123 456 789", "123", null],
  name: ["laptop", "a/b", "", " "],
  pubkey: ["", "not-a-key", `${"A".repeat(43)}=`, "x".repeat(44)],
  method: ["Totp", "Email", "Sms", "totp"],
  methodNumber: [0, 1, 2, 3, 4, 5, -1],
  code: ["123456", "000000", "12345", "abcdef"],
  email: ["fuzz@example.com", "not-an-email", "a@b", `${"a".repeat(300)}@example.com`],
  id: [0, 1, 2, -1, 2 ** 53, 1.5, "1"],
  bool: [true, false, "true", 0],
  list: [[], ["10.0.0.0/24"], "10.0.0.0/24", [1, 2]],
  text: ["fuzz", "", "Ünïcødé 🔥"],
});

/** A lone UTF-16 surrogate, which JSON.parse accepts and UTF-8 cannot encode. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n));

const nastyConstants = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "💥".repeat(500),
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  "%00",
  "../../../etc/passwd",
  "<script>alert(1)</script>",
  "\u202e\u0301\ufeff",
  "${jndi:ldap://x}",
  "__proto__",
);

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string(), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme" }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary" }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constant("\u0000"), fc.constant("a")) }), weight: 1 },
  { arbitrary: nastyConstants, weight: 2 },
  { arbitrary: fc.string({ minLength: 1_000, maxLength: 40_000, unit: "grapheme-ascii" }), weight: 1 },
);

/** Any JSON value, Unicode everywhere, bounded depth. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    weirdString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(2 ** 53, -(2 ** 63), 1e308, -0),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(weirdString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** `{"a":{"a":...}}` or `[[[...]]]` `depth` deep, as JSON text. */
const deepJson = fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth),
);

function valueFor(kind: FieldKind, pool: ValuePool): fc.Arbitrary<unknown> {
  const known = pool[kind];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(known.length ? known : [null])), weight: 4 },
    { arbitrary: anyJson, weight: 3 },
    { arbitrary: weirdString, weight: 2 },
  );
}

/** A body object for `endpoint`: each field present (usually) with a pool or hostile value, plus extras. */
function objectBody(endpoint: FuzzEndpoint, pool: ValuePool): fc.Arbitrary<string> {
  const fields = Object.fromEntries(Object.entries(endpoint.fields).map(([name, kind]) => [name, valueFor(kind, pool)]));
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(weirdString, anyJson, { maxKeys: 2 }), fc.boolean())
    .map(([known, extra, withExtra]) => JSON.stringify(withExtra ? { ...extra, ...known } : known));
}

/** `{"token":"a","token":5}`: which one counts is the parser's business; it must be a 4xx or a success. */
function duplicateKeys(endpoint: FuzzEndpoint): fc.Arbitrary<string> {
  const names = Object.keys(endpoint.fields);
  if (names.length === 0) return fc.constant('{"a":1,"a":2}');
  return fc.tuple(fc.constantFrom(...names), anyJson, anyJson).map(([name, a, b]) => `{${JSON.stringify(name)}:${JSON.stringify(a) ?? "null"},${JSON.stringify(name)}:${JSON.stringify(b) ?? "null"}}`);
}

export function bodyFor(endpoint: FuzzEndpoint, pool: ValuePool): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: objectBody(endpoint, pool), weight: 12 },
    { arbitrary: anyJson.map((v) => JSON.stringify(v) ?? "null"), weight: 2 },
    { arbitrary: duplicateKeys(endpoint), weight: 1 },
    { arbitrary: deepJson, weight: 1 },
    { arbitrary: weirdString, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const headerValue = fc.oneof(fc.string({ unit: "binary-ascii", maxLength: 200 }), fc.string({ maxLength: 50 }), fc.ipV4(), fc.ipV6());

export interface HeaderOptions {
  /** Cookie headers a browser of this test could send (valid sessions, garbage). */
  cookies: string[];
  /** Send one of `cookies` with (almost) every request, as a logged-in admin's browser does. */
  alwaysCookie?: boolean;
}

export function headersFor(options: HeaderOptions): fc.Arbitrary<[string, string][]> {
  const contentType = fc.oneof(
    { arbitrary: fc.constant("application/json"), weight: 12 },
    { arbitrary: fc.constantFrom("application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "APPLICATION/JSON"), weight: 2 },
    { arbitrary: headerValue, weight: 1 },
  );
  const optional = fc.record(
    {
      "x-forwarded-for": headerValue,
      "x-forwarded-proto": fc.constantFrom("https", "http", "gopher"),
      "user-agent": headerValue,
      "defguard-client-version": headerValue,
      "defguard-client-platform": headerValue,
      origin: fc.oneof({ arbitrary: fc.constant("http://localhost"), weight: 6 }, { arbitrary: fc.constantFrom("https://evil.example", "null"), weight: 1 }),
      "x-request-id": headerValue,
      "x-forwarded-host": headerValue,
    },
    { requiredKeys: [] },
  );
  const garbageCookie = fc.oneof(fc.constantFrom("defguard_proxy=garbage", "defguard_session=x", "defguard_proxy_password_reset=x"), headerValue);
  const cookie = fc.option(
    options.cookies.length ? fc.oneof({ arbitrary: fc.constantFrom(...options.cookies), weight: 8 }, { arbitrary: garbageCookie, weight: 1 }) : garbageCookie,
    { freq: options.alwaysCookie ? 20 : 2 },
  );
  return fc.tuple(fc.option(contentType, { freq: 10 }), optional, cookie).map(([type, rest, cookieValue]) => {
    const out: [string, string][] = Object.entries(rest).filter(([name]) => /^[a-z-]+$/.test(name)) as [string, string][];
    if (type !== null) out.push(["content-type", type]);
    if (cookieValue !== null) out.push(["cookie", cookieValue]);
    return out;
  });
}

/** Mostly the endpoints as they are; sometimes a mangled path or another method. */
export function requestFor(endpoints: FuzzEndpoint[], pool: ValuePool, headers: HeaderOptions, paramValues: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  const known = fc.constantFrom(...endpoints).chain((endpoint) =>
    fc.record({
      method: fc.oneof({ arbitrary: fc.constant(endpoint.method), weight: 15 }, { arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"), weight: 1 }),
      path: fillParams(endpoint.path, paramValues),
      headers: headersFor(headers),
      body: bodyFor(endpoint, pool),
    }),
  );
  const mangled = fc.record({
    method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
    path: fc.oneof(
      fc.webPath().map((p) => `/api/v1${p}`),
      fc.constantFrom(...endpoints).map((e) => `${e.path}/`),
      fc.constantFrom(...endpoints).map((e) => e.path.replace("/api/v1", "/api/v1//")),
      fc.constantFrom("/api/v1/%00", "/api/v1/..%2f..%2f", "/api/v1/enrollment/%F0%9F%92%A5", "/api", "/"),
      weirdString.map((s) => `/api/v1/${encodeURIComponent(s.toWellFormed()).slice(0, 2000)}`),
    ),
    headers: headersFor(headers),
    body: fc.option(weirdString.map((s) => JSON.stringify({ token: s })), { nil: undefined }),
  });
  return fc.oneof({ arbitrary: known, weight: 9 }, { arbitrary: mangled, weight: 1 });
}

/** Replaces each `:param` (in the path or the query) by a generated value, URL-encoded. */
function fillParams(path: string, values: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const parts = path.split(/(:[a-z_]+)/);
  return fc.tuple(...parts.map((part) => (part.startsWith(":") ? values.map((v) => encodeURIComponent(v.toWellFormed())) : fc.constant(part)))).map((p) => p.join(""));
}

/** A `Request` for `base` + the generated request; headers a fetch implementation refuses are dropped. */
export function toRequest(base: string, request: FuzzRequest): Request {
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    try {
      headers.set(name, value);
    } catch {
      // Not a valid header value (e.g. a newline): a real client could not send it either.
    }
  }
  const hasBody = request.body !== undefined && request.method !== "GET" && request.method !== "HEAD";
  return new Request(`${base}${request.path}`, { method: request.method, headers, body: hasBody ? request.body : undefined });
}

/** Counts of answers by status, for the printed summary. */
export class StatusTally {
  readonly counts = new Map<number, number>();
  total = 0;

  add(status: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
    this.total++;
  }

  toString(): string {
    return [...this.counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
  }
}
