// The welcome texts an admin writes in Markdown (the enrollment page's message, the welcome mail's subject
// and body) with `{first_name}`, `{last_name}` and `{username}` filled in for one user. One function for
// the enrollment page (flows/enrollment/start.ts), the mail (mail/templates.tsx) and the settings page's
// previews (admin-ui/client/settings.ts), so all three fill them in alike.
import { escapeMarkdown, renderSafeMarkdown } from "../shared/safe-markdown.ts";

/** Whose names go into a welcome text. */
export interface WelcomeTextUser {
  first_name: string;
  last_name: string;
  username: string;
}

const PLACEHOLDER = /\{(first_name|last_name|username)\}/g;

/**
 * `template` with each placeholder replaced by `escape(value)` (the value itself by default). One pass:
 * a name that itself reads `{username}` is not filled in again. Unknown `{words}` are left as written.
 */
export function fillWelcomeText(template: string, user: WelcomeTextUser, escape: (value: string) => string = (value) => value): string {
  return template.replace(PLACEHOLDER, (_match, name: keyof WelcomeTextUser) => escape(user[name]));
}

/**
 * The welcome mail's body as HTML: the names Markdown-escaped (a name is text, never markup or a link),
 * then rendered by renderSafeMarkdown (no HTML of the author's, only http(s)/mailto links).
 */
export function welcomeMailHtml(markdown: string, user: WelcomeTextUser): string {
  return renderSafeMarkdown(fillWelcomeText(markdown, user, escapeMarkdown));
}
