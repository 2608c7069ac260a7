// The component version and system description exchanged as gRPC metadata (WIRE.md, "Version metadata").
import { arch, release, type } from "node:os";
import pkg from "../package.json" with { type: "json" };

export const COMPONENT_VERSION: string = pkg.version;
export const VERSION_HEADER = "defguard-component-version";
export const SYSTEM_HEADER = "defguard-component-system";

/** `<os_type>;<os_version>;<arch>`, as Defguard sends it. */
export function componentSystem(): string {
  return `${type()};${release()};${arch()}`;
}

/** The oldest peer version we accept; older peers are refused with FAILED_PRECONDITION. */
export const MIN_PEER_VERSION = "0.1.0";

/** Compares two semver strings by major.minor.patch; pre-release tags are ignored. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[-+]/)[0]!.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function isSemver(v: string): boolean {
  return /^\d+\.\d+\.\d+([-+].*)?$/.test(v);
}
