// The settings page's preview of the enrollment welcome message: rendered by the very function the
// Proxy's enrollment page uses (safe-markdown.ts: no HTML of the author's, only http(s)/mailto links),
// with the placeholders filled in as the Core fills them (welcomePageContent) for a sample user.
import { renderSafeMarkdown } from "../../../shared/safe-markdown.ts";

const SAMPLE_USER = { first_name: "Alice", last_name: "Example", login: "alice" };

export function welcomePreview(template: string): string {
  const filled = template.replaceAll("{first_name}", SAMPLE_USER.first_name).replaceAll("{last_name}", SAMPLE_USER.last_name).replaceAll("{username}", SAMPLE_USER.login);
  return renderSafeMarkdown(filled);
}

export function runSettings(): void {
  const source = document.getElementById("field-enrollment_welcome_message") as HTMLTextAreaElement | null;
  const preview = document.getElementById("welcome-preview");
  if (!source || !preview) return;
  const update = () => (preview.innerHTML = welcomePreview(source.value)); // safe-markdown escapes all author HTML
  source.addEventListener("input", update);
  update();
}
