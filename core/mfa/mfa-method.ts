// The wire's MfaMethod numbers and the code methods this Core serves (TOTP and email codes); the others
// (OIDC, biometric, mobile approval) belong to Defguard features this Core does not have.
import { MfaMethod } from "../../proto/generated/defguard/proxy/MfaMethod.ts";
import { invalidArgument } from "../../shared/errors.ts";
import type { CodeMethod } from "./one-time-codes.ts";

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(MfaMethod).map(([name, value]) => [value, name]));

/** How users read each method in messages. */
export const METHOD_LABEL: Record<CodeMethod, string> = { totp: "TOTP", email: "email codes" };

/** The code method for a wire MfaMethod; INVALID_ARGUMENT naming the method for any other. */
export function codeMethodOf(method: number | undefined): CodeMethod {
  if (method === MfaMethod.TOTP) return "totp";
  if (method === MfaMethod.EMAIL) return "email";
  const name = method === undefined ? undefined : NAMES[method];
  if (name === undefined) throw invalidArgument(`unknown MFA method ${method ?? "(none)"}: expected TOTP (0) or EMAIL (1)`);
  throw invalidArgument(`MFA method ${name} is not supported by this server: use TOTP or email codes`);
}
