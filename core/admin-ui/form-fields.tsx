// Labelled selects and text areas for the pages' API forms, built like components.tsx's Field: a hint
// and an error line tied to the control with aria-describedby, the error filled by client/forms.ts with
// the API's message for that field.
import type { Child } from "hono/jsx";

interface Described {
  name: string;
  label: string;
  hint?: string;
  id?: string;
  required?: boolean;
}

function Frame(props: Described & { id: string; children?: Child }) {
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.required ? null : <span class="optional"> (optional)</span>}
      </label>
      {props.children}
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <p class="field-error" id={`${props.id}-error`} data-field-error={props.name} hidden></p>
    </div>
  );
}

const describedBy = (id: string, hint?: string) => [hint ? `${id}-hint` : undefined, `${id}-error`].filter(Boolean).join(" ");

export interface Option {
  value: string;
  label: string;
}

/** A select; `multiple` sends the chosen values as a list. */
export function SelectField(props: Described & { options: Option[]; selected: string[]; multiple?: boolean; pathOnly?: boolean }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <Frame {...props} id={id}>
      <select id={id} name={props.name} multiple={props.multiple} size={props.multiple ? Math.min(6, Math.max(3, props.options.length)) : undefined} data-path-only={props.pathOnly ? "" : undefined} aria-describedby={describedBy(id, props.hint)}>
        {props.options.map((o) => (
          <option value={o.value} selected={props.selected.includes(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** A text area; a `disabled` one is not sent (client/forms.ts), so the stored text stays as it is. */
export function TextAreaField(props: Described & { value?: string; rows?: number; maxlength?: number; disabled?: boolean }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <Frame {...props} id={id}>
      <textarea id={id} name={props.name} rows={props.rows ?? 6} maxlength={props.maxlength} required={props.required} disabled={props.disabled} aria-describedby={describedBy(id, props.hint)}>
        {props.value ?? ""}
      </textarea>
    </Frame>
  );
}
