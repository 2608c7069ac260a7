// Which Core versions the Proxy accepts on the link (WIRE.md "Version metadata"); pure.
import { MIN_PEER_VERSION, compareVersions, isSemver } from "../shared/version.ts";

/** Longest version text quoted back in a refusal; the value comes from an unauthenticated peer. */
const MAX_QUOTED_LENGTH = 64;

/** Why a Core announcing `version` is refused, or null when it is accepted. */
export function coreVersionRefusal(version: string | undefined): string | null {
  if (version === undefined || version === "") {
    return `missing defguard-component-version metadata; Defguard Core ${MIN_PEER_VERSION} or newer is required`;
  }
  const quoted = JSON.stringify(version.slice(0, MAX_QUOTED_LENGTH));
  if (!isSemver(version)) return `defguard-component-version ${quoted} is not a semantic version`;
  if (compareVersions(version, MIN_PEER_VERSION) < 0) {
    return `Defguard Core ${quoted} is too old; ${MIN_PEER_VERSION} or newer is required`;
  }
  return null;
}
