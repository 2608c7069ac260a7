// Forms of the server-rendered pages sent to the JSON API (components.tsx ApiForm/ActionButton):
// fields become a JSON body, `{name}` in `data-api` is filled from the form, and after a success the
// page reloads, goes elsewhere, or shows the answer. A refusal `field: problem; other: problem` is
// shown beside each named field (aria-invalid, focus on the first); anything else on the form's line.
import { ApiError, callApi } from "./api.ts";

type Body = Record<string, unknown>;

function fieldValue(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): unknown {
  if (el instanceof HTMLInputElement && el.type === "checkbox") return el.checked;
  if (el instanceof HTMLSelectElement && el.multiple) return [...el.selectedOptions].map((o) => o.value);
  const value = el.value.trim() === "" ? "" : el.value;
  if (value === "") return el.dataset.kind === "nullable" ? null : undefined;
  if (el.dataset.kind === "number" || (el instanceof HTMLInputElement && el.type === "number")) return Number(value);
  if (el.dataset.kind === "lines") return value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  return value;
}

/** The form's JSON body: its `data-body`, then every named field (fields only for the path are left out). */
export function formBody(form: HTMLFormElement): Body {
  const body: Body = form.dataset.body ? (JSON.parse(form.dataset.body) as Body) : {};
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("input[name], select[name], textarea[name]")) {
    if (el.disabled || el.dataset.pathOnly !== undefined) continue;
    const value = fieldValue(el);
    if (value !== undefined) body[el.name] = value;
  }
  return body;
}

/** `template` with each `{name}` replaced by that value of `values` (URL-encoded in paths). */
export function fillTemplate(template: string, values: (name: string) => unknown, encode = true): string {
  return template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const value = String(values(name) ?? "");
    return encode ? encodeURIComponent(value) : value;
  });
}

function namedValue(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? el.value : "";
}

function clearErrors(form: HTMLFormElement): void {
  for (const line of form.querySelectorAll<HTMLElement>("[data-field-error]")) {
    line.hidden = true;
    line.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const line = form.querySelector<HTMLElement>("[data-error]");
  if (line) line.textContent = "";
}

/** Clears the form's errors, then puts each `field: problem` of `message` beside its field, the rest on the form's line. */
export function showErrors(form: HTMLFormElement, message: string): void {
  clearErrors(form);
  if (!message) return;
  const rest: string[] = [];
  let first: HTMLElement | undefined;
  // A problem may itself hold "; ": split only where the next field's name follows.
  for (const part of message.split(/; (?=[a-z_][a-z0-9_.]*: )/)) {
    const match = /^([a-z_][a-z0-9_.]*): (.+)$/.exec(part);
    const line = match ? form.querySelector<HTMLElement>(`[data-field-error="${CSS.escape(match[1]!)}"]`) : null;
    const input = match ? form.querySelector<HTMLElement>(`[name="${CSS.escape(match[1]!)}"]`) : null;
    if (!match || !line) {
      rest.push(part);
      continue;
    }
    line.textContent = match[2]!;
    line.hidden = false;
    input?.setAttribute("aria-invalid", "true");
    first ??= input ?? undefined;
  }
  const errorLine = form.querySelector<HTMLElement>("[data-error]");
  if (errorLine) errorLine.textContent = rest.join("; ");
  first?.focus();
}

function afterSuccess(form: HTMLFormElement, answer: unknown): void {
  const done = form.dataset.done ?? "reload";
  const fromAnswer = (name: string) => (answer as Record<string, unknown> | null)?.[name] ?? namedValue(form, name);
  if (done === "reload") {
    location.reload();
  } else if (done.startsWith("go:")) {
    location.assign(fillTemplate(done.slice(3), fromAnswer));
  } else if (done.startsWith("show:")) {
    const target = document.getElementById(done.slice(5));
    if (!target) return;
    for (const out of target.querySelectorAll<HTMLElement>("[data-out]")) {
      const value = String(fromAnswer(out.dataset.out!) ?? "");
      if (out instanceof HTMLInputElement || out instanceof HTMLTextAreaElement) out.value = value;
      else out.textContent = value;
    }
    target.hidden = false;
    target.querySelector<HTMLElement>("input, [tabindex]")?.focus();
  }
}

async function submit(form: HTMLFormElement, event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
  clearErrors(form);
  const buttons = [...form.querySelectorAll<HTMLButtonElement>("button[type=submit]")];
  for (const b of buttons) b.disabled = true;
  try {
    const path = fillTemplate(form.dataset.api!, (name) => namedValue(form, name));
    const answer = await callApi(form.dataset.method ?? "POST", path, formBody(form));
    afterSuccess(form, answer);
  } catch (err) {
    // The session ended meanwhile (expired, signed out elsewhere, password changed): sign in again, then come back.
    if (err instanceof ApiError && err.status === 401) {
      location.assign(`/ui/login?${new URLSearchParams({ next: location.pathname + location.search })}`);
      return;
    }
    showErrors(form, err instanceof ApiError ? err.message : String(err));
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** Wires every `form[data-api]` of the page, and the copy buttons (`data-copy` = the input's id). */
export function wireApiForms(root: ParentNode = document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>("form[data-api]")) {
    form.addEventListener("submit", (event) => void submit(form, event));
  }
  for (const button of root.querySelectorAll<HTMLButtonElement>("button[data-copy]")) {
    button.addEventListener("click", () => {
      const input = document.getElementById(button.dataset.copy!) as HTMLInputElement | null;
      if (!input) return;
      input.select();
      void navigator.clipboard?.writeText(input.value).then(() => {
        button.textContent = "Copied";
      });
    });
  }
}
