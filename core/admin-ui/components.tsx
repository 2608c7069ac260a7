// Pieces the admin UI's pages share. Forms are plain HTML that client/forms.ts sends to the JSON API:
// `data-api` and `data-method` say where, `data-done` what happens after a success. Each field has its
// label, an optional hint and an error line the client fills with the API's message for that field.
import type { Child } from "hono/jsx";

/** What a form does after the API accepted it (client/forms.ts reads it). */
export type AfterSubmit =
  /** Load the page again: it renders the new state from the store. */
  | "reload"
  /** Go to a URL; `{name}` is replaced by that field of the answer (or of the form). */
  | `go:${string}`
  /** Show the element with this id, its `[data-out=key]` children filled from the answer. */
  | `show:${string}`;

export function ApiForm(props: {
  action: string;
  method?: "POST" | "PUT" | "PATCH" | "DELETE";
  done: AfterSubmit;
  /** Asked with the browser's confirm dialog before sending. */
  confirm?: string;
  class?: string;
  label?: string;
  children?: Child;
}) {
  return (
    <form
      class={props.class ?? "stack"}
      data-api={props.action}
      data-method={props.method ?? "POST"}
      data-done={props.done}
      data-confirm={props.confirm}
      aria-label={props.label}
    >
      {props.children}
      <ErrorLine />
    </form>
  );
}

/** A one-button form (delete, disable, send): the button is the whole form. */
export function ActionButton(props: {
  action: string;
  method?: "POST" | "PUT" | "PATCH" | "DELETE";
  done: AfterSubmit;
  confirm?: string;
  label: string;
  /** Read by screen readers after the label, not shown (the row around the button says it). */
  hiddenLabel?: string;
  danger?: boolean;
  body?: Record<string, unknown>;
}) {
  return (
    <form class="inline-form" data-api={props.action} data-method={props.method ?? "POST"} data-done={props.done} data-confirm={props.confirm} data-body={props.body ? JSON.stringify(props.body) : undefined}>
      <button type="submit" class={props.danger ? "button danger" : "button secondary"}>
        {props.label}
        {props.hiddenLabel ? <span class="visually-hidden">{` ${props.hiddenLabel}`}</span> : null}
      </button>
      <ErrorLine />
    </form>
  );
}

/** The live error line of a form; the client writes the API's refusal into it. */
export function ErrorLine() {
  return <p class="error" data-error role="alert" aria-live="assertive"></p>;
}

export interface FieldProps {
  name: string;
  label: string;
  type?: "text" | "email" | "tel" | "password" | "number" | "search" | "url";
  value?: string | number | null;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  /** Sent as a number (`number`), or as null when left empty (`nullable`); omitted when empty otherwise. */
  kind?: "number" | "nullable";
  id?: string;
  inputmode?: "numeric" | "text" | "email";
  maxlength?: number;
  pattern?: string;
}

/** A labelled input with its hint and error line, tied together with aria-describedby. */
export function Field(props: FieldProps) {
  const id = props.id ?? `field-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required ? null : <span class="optional"> (optional)</span>}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? undefined}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        pattern={props.pattern}
        data-kind={props.kind}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}
      />
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <p class="field-error" id={errorId} data-field-error={props.name} hidden></p>
    </div>
  );
}

/** A checkbox sent as true/false. */
export function Checkbox(props: { name: string; label: string; checked?: boolean; id?: string }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class="field checkbox">
      <input id={id} name={props.name} type="checkbox" checked={props.checked} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export function Submit(props: { label: string }) {
  return (
    <div class="actions">
      <button type="submit" class="button">
        {props.label}
      </button>
    </div>
  );
}

/** A status word with a colour that is never the only signal (the word says it). */
export function Badge(props: { tone: "ok" | "bad" | "muted" | "warn"; children?: Child }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>;
}

export function Notice(props: { tone?: "info" | "warning"; children?: Child }) {
  return <div class={`notice ${props.tone === "warning" ? "warning" : ""}`}>{props.children}</div>;
}

/** Previous/next links of a paged list, keeping the other query parameters. */
export function Pagination(props: { base: string; query: Record<string, string>; page: number; pages: number; total: number; noun: string }) {
  const href = (page: number) => `${props.base}?${new URLSearchParams({ ...props.query, page: String(page) })}`;
  return (
    <nav class="pagination" aria-label="Pages">
      <p>
        {props.total} {props.noun}
        {props.pages > 1 ? `, page ${props.page} of ${props.pages}` : ""}
      </p>
      <div class="actions">
        {props.page > 1 ? (
          <a class="button secondary" href={href(props.page - 1)} rel="prev">
            Previous page
          </a>
        ) : null}
        {props.page < props.pages ? (
          <a class="button secondary" href={href(props.page + 1)} rel="next">
            Next page
          </a>
        ) : null}
      </div>
    </nav>
  );
}

/** When something happened, as a person reads it; machine-readable in the datetime attribute. */
export function When(props: { at: Date | string | null; never?: string }) {
  if (!props.at) return <span>{props.never ?? "never"}</span>;
  const at = typeof props.at === "string" ? new Date(props.at) : props.at;
  return <time datetime={at.toISOString()}>{at.toISOString().replace("T", " ").slice(0, 16)} UTC</time>;
}

/** A form that makes a one-use link and shows it to copy (and mails it when asked). */
export function LinkForm(props: { action: string; label: string; id: string; mailTo: string; mailField: string; out: string }) {
  return (
    <ApiForm action={props.action} done={`show:${props.id}`} label={props.label}>
      <Checkbox name={props.mailField} label={`Also mail the link to ${props.mailTo}`} id={`${props.id}-mail`} />
      <Submit label={props.label} />
      <div id={props.id} class="result" hidden>
        <label for={`${props.id}-url`}>Link to send (valid for one use)</label>
        <div class="copy-row">
          <input id={`${props.id}-url`} type="text" readonly data-out={props.out} />
          <button type="button" class="button secondary" data-copy={`${props.id}-url`}>
            Copy
          </button>
        </div>
      </div>
    </ApiForm>
  );
}
