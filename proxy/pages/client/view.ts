// Showing one view of a page at a time, and the state of a form while it waits for the server: the
// markup is rendered by the server (proxy/pages/*.tsx); the browser only toggles `hidden`, moves focus
// to the new view's heading (so screen readers announce it) and writes errors into live regions.

/** The element with `id`; throws when the page lacks it (a mismatch between page and script). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Shows the `[data-view=name]` element among its siblings in `scope`, focuses its heading. */
export function showView(scope: HTMLElement, name: string): void {
  let shown: HTMLElement | undefined;
  for (const view of scope.querySelectorAll<HTMLElement>(":scope > [data-view]")) {
    const active = view.dataset.view === name;
    view.hidden = !active;
    if (active) shown = view;
  }
  if (!shown) throw new Error(`no view ${name}`);
  const heading = shown.querySelector<HTMLElement>("h1, h2");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
  window.scrollTo(0, 0);
}

/** Marks `step` as the current one in a progress list (`[data-step]` items) for eyes and screen readers. */
export function markProgress(list: HTMLElement, step: string): void {
  let reached = false;
  const items = [...list.querySelectorAll<HTMLElement>("[data-step]")].filter((item) => !item.hidden);
  const index = items.findIndex((item) => item.dataset.step === step);
  items.forEach((item, i) => {
    if (i === index) {
      item.setAttribute("aria-current", "step");
      reached = true;
    } else {
      item.removeAttribute("aria-current");
    }
    item.classList.toggle("done", !reached && i < index);
  });
}

/** A form's busy state and its error line (`[data-error]`, role=alert in the markup). */
export class FormStatus {
  /** The error element inside the form or section. */
  private readonly errorEl: HTMLElement;
  /** Buttons disabled while a request is in flight. */
  private readonly buttons: HTMLButtonElement[];
  /** What each button said before it showed the busy label. */
  private readonly labels = new Map<HTMLButtonElement, string>();

  constructor(private readonly container: HTMLElement) {
    const errorEl = container.querySelector<HTMLElement>("[data-error]");
    if (!errorEl) throw new Error("a form without its [data-error] element");
    this.errorEl = errorEl;
    this.buttons = [...container.querySelectorAll<HTMLButtonElement>("button")];
  }

  /** Disables the buttons while `work` runs; `busyLabel` replaces the clicked button's text meanwhile. */
  async run<T>(work: () => Promise<T>, pressed?: HTMLButtonElement, busyLabel = "Please wait…"): Promise<T> {
    this.clearError();
    const wasDisabled = new Map(this.buttons.map((b) => [b, b.disabled]));
    for (const b of this.buttons) b.disabled = true;
    this.container.setAttribute("aria-busy", "true");
    if (pressed) {
      this.labels.set(pressed, pressed.textContent ?? "");
      pressed.textContent = busyLabel;
    }
    try {
      return await work();
    } finally {
      for (const b of this.buttons) b.disabled = wasDisabled.get(b) ?? false;
      this.container.removeAttribute("aria-busy");
      if (pressed) pressed.textContent = this.labels.get(pressed) ?? pressed.textContent;
    }
  }

  showError(message: string): void {
    this.errorEl.textContent = message;
  }

  clearError(): void {
    // Emptied rather than hidden: a live region must stay in the page for the next error to be announced.
    this.errorEl.textContent = "";
  }
}
