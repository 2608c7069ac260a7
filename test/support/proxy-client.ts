// A browser-like client of the Proxy's public HTTP API for end-to-end tests: JSON in and out, and a cookie
// jar that keeps what Set-Cookie sets (and forgets what it expires), as a browser would for one site.
export interface ProxyAnswer {
  status: number;
  /** Parsed JSON, the text when not JSON, or null for an empty body. */
  body: any;
  headers: Headers;
}

export class ProxyClient {
  /** Cookie name -> value, as the last Set-Cookie for it left them. */
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ProxyAnswer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}), ...headers },
      body: JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) this.remember(line);
    const text = await res.text();
    let parsed: unknown = text === "" ? null : text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  }

  private remember(setCookie: string): void {
    const [pair, ...attributes] = setCookie.split(";").map((part) => part.trim());
    const [name, value] = [pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1)];
    const expires = attributes.find((a) => a.toLowerCase().startsWith("expires="));
    const maxAge = attributes.find((a) => a.toLowerCase().startsWith("max-age="));
    const gone = (maxAge && Number(maxAge.split("=")[1]) <= 0) || (expires && Date.parse(expires.slice(8)) <= Date.now()) || value === "";
    if (gone) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}
