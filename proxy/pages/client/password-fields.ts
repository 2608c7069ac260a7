// The new-password fields (enrollment and password reset): the rules ticked as the person types, the
// repeated password compared, and the submit button enabled only once everything is met, so a weak
// password is refused before anything is sent.
import { PASSWORD_RULES } from "./password-rules.ts";

export interface PasswordFields {
  /** The password when every rule is met and both fields agree, else undefined. */
  value(): string | undefined;
}

/**
 * Wires the fields inside `form` (markup from PasswordFields in components.tsx): `[data-password]`,
 * `[data-password-repeat]`, `[data-rule]` items, `[data-password-mismatch]`, `[data-password-toggle]`,
 * and the form's submit button.
 */
export function bindPasswordFields(form: HTMLFormElement): PasswordFields {
  const input = form.querySelector<HTMLInputElement>("[data-password]")!;
  const repeat = form.querySelector<HTMLInputElement>("[data-password-repeat]")!;
  const mismatch = form.querySelector<HTMLElement>("[data-password-mismatch]")!;
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const toggle = form.querySelector<HTMLButtonElement>("[data-password-toggle]");

  const allMet = (): boolean => {
    let met = true;
    for (const rule of PASSWORD_RULES) {
      const ok = rule.test(input.value);
      met &&= ok;
      const item = form.querySelector<HTMLElement>(`[data-rule="${rule.id}"]`);
      if (!item) continue;
      item.classList.toggle("met", ok);
      const state = item.querySelector<HTMLElement>("[data-rule-state]");
      if (state) state.textContent = ok ? "met" : "not met";
    }
    return met;
  };

  const update = () => {
    const strong = allMet();
    const same = input.value === repeat.value;
    const showMismatch = repeat.value !== "" && !same;
    mismatch.hidden = !showMismatch;
    repeat.setAttribute("aria-invalid", String(showMismatch));
    input.setAttribute("aria-invalid", String(input.value !== "" && !strong));
    submit.disabled = !(strong && same);
  };
  input.addEventListener("input", update);
  repeat.addEventListener("input", update);
  toggle?.addEventListener("click", () => {
    const show = input.type === "password";
    input.type = repeat.type = show ? "text" : "password";
    toggle.setAttribute("aria-pressed", String(show));
    toggle.textContent = show ? "Hide password" : "Show password";
  });
  update();
  return { value: () => (allMet() && input.value === repeat.value ? input.value : undefined) };
}
