// The frame every mail's HTML shares, and the small formatting rules the templates agree on. hono/jsx
// escapes every value put in text or attributes, so names and device names cannot inject markup.
import type { Child } from "hono/jsx";

/** Renders a mail's HTML document; templates only use synchronous components. */
export function renderHtml(node: Child): string {
  const out = (node as { toString(): string | Promise<string> }).toString();
  if (typeof out !== "string") throw new Error("mail templates must render synchronously");
  return `<!DOCTYPE html>${out}`;
}

/** `2024-01-24 14:05 UTC`: unambiguous for readers in any time zone. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `10 minutes`, `24 hours`, `60 seconds`: how long a link or code stays valid. */
export function formatDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (seconds % 86_400 === 0 && seconds >= 86_400 * 2) return plural(seconds / 86_400, "day");
  if (seconds % 3_600 === 0) return plural(seconds / 3_600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

const bodyStyle = "margin:0;padding:0;background:#f4f5f7;";
const cardStyle =
  "max-width:560px;margin:24px auto;padding:24px;background:#ffffff;border-radius:8px;" +
  "font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#222;";
const buttonStyle = "display:inline-block;padding:10px 18px;background:#0c8ce0;color:#ffffff;text-decoration:none;border-radius:6px;";
const footerStyle = "margin-top:24px;font-size:12px;color:#777;";
const codeStyle = "font-family:Menlo,Consolas,monospace;font-size:28px;letter-spacing:4px;";
const monoStyle = "font-family:Menlo,Consolas,monospace;word-break:break-all;";

export function MailLayout(props: { title: string; instanceName: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
      </head>
      <body style={bodyStyle}>
        <div style={cardStyle}>
          <h1 style="font-size:20px;margin:0 0 16px;">{props.title}</h1>
          {props.children}
          <p style={footerStyle}>This message was sent by {props.instanceName} (Defguard). Please do not reply to it.</p>
        </div>
      </body>
    </html>
  );
}

export function Button(props: { href: string; label: string }) {
  return (
    <p>
      <a href={props.href} style={buttonStyle}>
        {props.label}
      </a>
    </p>
  );
}

/** The link written out too, for mail clients that hide buttons. */
export function LinkText(props: { href: string }) {
  return (
    <p style="font-size:13px;color:#555;">
      If the button does not work, open this address: <a href={props.href} style={monoStyle}>{props.href}</a>
    </p>
  );
}

export function Code(props: { code: string }) {
  return (
    <p>
      <strong style={codeStyle}>{props.code}</strong>
    </p>
  );
}

export function Mono(props: { children?: Child }) {
  return <span style={monoStyle}>{props.children}</span>;
}
