// The texts admins write in Markdown (the enrollment's final page, the welcome mail, their previews in the
// admin UI) rendered to HTML WITHOUT letting any HTML through: raw HTML in the source is shown as text,
// and links keep only http(s) and mailto destinations (anything else, `javascript:` included, becomes
// plain text). Runs in browsers (the pages) and on the Core (the mail) alike.
import { Marked, type Tokens } from "marked";

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

// Every ASCII punctuation character: CommonMark lets each be escaped with a backslash.
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;
const LINE_BREAKS = /\s*[\r\n]+\s*/g;

/**
 * `text` as Markdown that reads as exactly that text, for a value put into an author's Markdown (a user's
 * name): punctuation is backslash-escaped, so `**x**`, `[a](https://…)`, `<b>` or `www.example.com` stay
 * text, and line breaks become spaces, so it cannot start a heading or a list. Inside a code span the
 * backslashes would show; the result is meant for running text.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(MARKDOWN_PUNCTUATION, "\\$&");
}

/** The absolute http(s)/mailto URL `href` names, normalized; undefined for anything else. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href.trim());
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (!safe) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(safe)}"${titleAttr} rel="noopener noreferrer" target="_blank">${inner}</a>`;
    },
    // Images would load from another host (and the pages' CSP forbids it): a link to them instead.
    image({ href, text }: Tokens.Image): string {
      const safe = safeHref(href);
      const label = escapeHtml(text || "image");
      return safe ? `<a href="${escapeHtml(safe)}" rel="noopener noreferrer" target="_blank">${label}</a>` : label;
    },
  },
});

/** `source` (Markdown) as HTML that carries no markup of the author's own and no unsafe link. */
export function renderSafeMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}
