// The one way the admin UI's script calls the Core's JSON API: same origin, the session cookie, a JSON
// body (the API refuses state changes without `application/json`), and every refusal turned into an
// ApiError carrying the status and the API's own message.

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The words a person reads for a failed call: the API's message, or what the status means. */
function describeFailure(status: number, body: unknown): string {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === "string" && error) return error;
  if (status === 429) return "Too many attempts: wait a minute, then try again.";
  if (status === 401) return "Your session ended: sign in again.";
  if (status >= 500) return `The server could not do this (HTTP ${status}): try again later.`;
  return `The server refused this (HTTP ${status}).`;
}

/** A wait as a person says it: "45 seconds", "about 3 minutes", "about 2 hours". */
export function waitWords(seconds: number): string {
  if (seconds < 90) return Math.ceil(seconds) === 1 ? "1 second" : `${Math.ceil(seconds)} seconds`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${Math.round(seconds / 3600)} hours`;
}

/** Calls `method path` with `body` as JSON; resolves with the parsed answer (null when empty). */
export async function callApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "The server did not answer: check your connection and try again.");
  }
  const text = await response.text().catch(() => "");
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const failure = new ApiError(response.status, describeFailure(response.status, parsed));
    const waitS = Number(response.headers.get("retry-after"));
    if (response.status === 429 && waitS > 0) failure.message = `${failure.message} (in ${waitWords(waitS)})`;
    throw failure;
  }
  return parsed as T;
}
