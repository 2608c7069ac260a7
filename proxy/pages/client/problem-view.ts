// The view a page falls back to when it cannot go on: the link is expired or used, the service is
// unavailable, the network is down. It says what happened in a person's words and, where trying again
// can help, offers a button that does.
import { ApiError } from "./api.ts";
import { NETWORK_MESSAGE, UNAVAILABLE_MESSAGE, asSentence, describeFailure, isSessionProblem } from "./messages.ts";
import { byId, showView } from "./view.ts";

/** Shows the problem view of `root` with `title` and `message`; `retry` adds a "Try again" button. */
export function showProblem(root: HTMLElement, title: string, message: string, retry?: () => void): void {
  byId("problem-title").textContent = title;
  byId("problem-message").textContent = message;
  const button = byId<HTMLButtonElement>("problem-retry");
  button.hidden = retry === undefined;
  button.onclick = retry ? () => retry() : null;
  showView(root, "problem");
}

/** The problem view for a failed call that opened the page (`linkKind` names the link, e.g. "enrollment link"). */
export function showFailure(root: HTMLElement, error: unknown, linkKind: string, retry: () => void): void {
  if (isSessionProblem(error) && error instanceof ApiError) {
    showProblem(root, `This ${linkKind} cannot be used`, asSentence(error.message));
  } else if (error instanceof ApiError && error.kind === "network") {
    showProblem(root, "No connection", NETWORK_MESSAGE, retry);
  } else if (error instanceof ApiError && error.kind === "unavailable") {
    showProblem(root, "Service unavailable", UNAVAILABLE_MESSAGE, retry);
  } else {
    showProblem(root, "Something went wrong", describeFailure(error), retry);
  }
}

/** True when the server already rendered the problem view (e.g. no Core connected): nothing to run. */
export function problemAlreadyShown(root: HTMLElement): boolean {
  const view = root.querySelector<HTMLElement>(":scope > [data-view=problem]");
  return view !== null && !view.hidden;
}
