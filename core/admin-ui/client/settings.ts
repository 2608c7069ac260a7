// The settings page's previews, for a sample user, made by the very functions the real texts go through:
// the enrollment welcome message as the Proxy's page renders it (the Core fills the names in, then
// shared/safe-markdown.ts), and the welcome mail as core/mail/templates.tsx makes it (welcomeMailHtml);
// and the mail text's field, disabled while the mail sends the welcome message instead.
import { renderSafeMarkdown } from "../../../shared/safe-markdown.ts";
import { subjectLine } from "../../mail/subject-line.ts";
import { fillWelcomeText, welcomeMailHtml } from "../../welcome-text.ts";

const SAMPLE_USER = { first_name: "Alice", last_name: "Example", username: "alice" };

export function welcomePreview(template: string): string {
  return renderSafeMarkdown(fillWelcomeText(template, SAMPLE_USER));
}

/** The welcome mail's subject line as sent (subjectLine, as every mail's): the instance's name, then the admin's subject. */
export function welcomeSubjectPreview(instanceName: string, subject: string): string {
  return subjectLine(instanceName, fillWelcomeText(subject.trim(), SAMPLE_USER));
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

/** Calls `update` now and whenever one of `sources` changes. */
function follow(sources: HTMLElement[], update: () => void): void {
  for (const source of sources) source.addEventListener("input", update);
  update();
}

function wireWelcomeMail(message: HTMLTextAreaElement): void {
  const subject = byId<HTMLInputElement>("field-enrollment_welcome_email_subject");
  const usesMessage = byId<HTMLInputElement>("field-enrollment_use_welcome_message_as_email");
  const body = byId<HTMLTextAreaElement>("field-enrollment_welcome_email");
  const note = byId("welcome-email-uses-message");
  const subjectPreview = byId("welcome-email-subject-preview");
  const preview = byId("welcome-email-preview");
  if (!subject || !usesMessage || !body || !note || !subjectPreview || !preview) return;
  follow([subject, usesMessage, body, message], () => {
    body.disabled = usesMessage.checked; // a disabled field is not sent: the stored text stays
    note.hidden = !usesMessage.checked;
    subjectPreview.textContent = welcomeSubjectPreview(subjectPreview.dataset.instanceName ?? "", subject.value);
    preview.innerHTML = welcomeMailHtml(usesMessage.checked ? message.value : body.value, SAMPLE_USER); // no author HTML gets through
  });
}

export function runSettings(): void {
  const message = byId<HTMLTextAreaElement>("field-enrollment_welcome_message");
  const preview = byId("welcome-preview");
  if (!message || !preview) return;
  follow([message], () => (preview.innerHTML = welcomePreview(message.value))); // safe-markdown escapes all author HTML
  wireWelcomeMail(message);
}
