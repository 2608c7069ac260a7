// What a person reads when a call fails: words for each kind of failure, and the Core's own message
// (already written for users, e.g. "enrollment token expired: ask your administrator for a new one")
// with its first letter raised; the few kept terse for Defguard's desktop client are put in words.
import { ApiError } from "./api.ts";

export const NETWORK_MESSAGE =
  "We could not reach the server. Check your internet connection and try again: what you typed is kept.";
export const UNAVAILABLE_MESSAGE =
  "The service is unavailable right now. Please try again in a few minutes; if it stays unavailable, contact your administrator.";
export const SERVER_ERROR_MESSAGE =
  "Something went wrong on the server. Please try again; if it keeps failing, contact your administrator.";
export const TOO_MANY_MESSAGE = "Too many attempts. Please wait a minute and try again.";
/** The enrollment page when the server enrolls only through the desktop client ("only client activation"). */
export const DESKTOP_CLIENT_ONLY_TITLE = "Enroll with the Defguard desktop client";
export const DESKTOP_CLIENT_ONLY_MESSAGE =
  'This server sets up new accounts only in the Defguard desktop client. Install it, choose "Add instance" and enter this server\'s address and the token of your enrollment link.';

/**
 * Core messages kept word for word as Defguard's because its desktop client compares them, and too
 * terse for a person: what the pages say instead.
 */
const TERSE_MESSAGES: Record<string, string> = {
  "token expired": "enrollment token expired: ask your administrator for a new one",
};

/** The Core's message as a sentence: first letter upper-case, ending with a full stop. */
export function asSentence(message: string): string {
  const trimmed = (TERSE_MESSAGES[message.trim()] ?? message).trim();
  if (!trimmed) return SERVER_ERROR_MESSAGE;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The sentence to show for `error` (anything a call may throw). */
export function describeFailure(error: unknown): string {
  if (!(error instanceof ApiError)) return SERVER_ERROR_MESSAGE;
  if (error.kind === "network") return NETWORK_MESSAGE;
  if (error.kind === "unavailable") return UNAVAILABLE_MESSAGE;
  if (error.status === 429) return TOO_MANY_MESSAGE;
  if (error.status >= 500 || error.message.startsWith("HTTP ")) return SERVER_ERROR_MESSAGE;
  return asSentence(error.message);
}

/** True when `error` means the link or its session can no longer be used (401 from the Core). */
export function isSessionProblem(error: unknown): boolean {
  return error instanceof ApiError && error.kind === "rejected" && (error.status === 401 || error.status === 403);
}
