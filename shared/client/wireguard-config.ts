// The configuration text the Core sends has the placeholder `YOUR_PRIVATE_KEY` (the Core never sees the
// key); the page fills in the key made in this browser, names the file, and, when the key was pasted by
// someone who keeps the private key elsewhere, leaves the placeholder for them to replace.

export const PRIVATE_KEY_PLACEHOLDER = "YOUR_PRIVATE_KEY";

/** `config` with the private key filled in; unchanged when `privateKey` is undefined. */
export function withPrivateKey(config: string, privateKey: string | undefined): string {
  if (privateKey === undefined) return config;
  return config.replace(/^(\s*PrivateKey\s*=\s*)YOUR_PRIVATE_KEY[ \t]*$/m, (_line, prefix: string) => `${prefix}${privateKey}`);
}

/**
 * A file name the WireGuard apps accept for `networkName`: wg-quick takes the file name as the interface
 * name, at most 15 characters of letters, digits and `_=+.-`.
 */
export function configFileName(networkName: string): string {
  const base = networkName
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9_=+.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 15);
  return `${base || "wireguard"}.conf`;
}
