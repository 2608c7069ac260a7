// What a WireGuard network (a "location") may be configured with, as a zod schema shared by the admin
// API and the command line; addresses come out normalized.
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { type ParsedCidr, parseGatewayCidr, parseRouteCidr, splitList } from "./cidr.ts";

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/;

export const MFA_MODES = ["disabled", "internal", "external"] as const;
export type MfaMode = (typeof MFA_MODES)[number];

const mfaModeSchema = z.enum(MFA_MODES, { error: `expected one of ${MFA_MODES.join(", ")}` });

const stringOrList = z.union([z.string(), z.array(z.string())], { error: "expected a string or a list of strings" });

/** A list of CIDRs, each checked and normalized by `parse`; at least one. */
const cidrList = (parse: (text: string) => ParsedCidr) =>
  stringOrList.transform((value, ctx) => {
    const items = splitList(value);
    if (items.length === 0) ctx.addIssue({ code: "custom", message: "expected at least one address" });
    const out: string[] = [];
    for (const item of items) {
      const parsed = parse(item);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem });
      else if (!out.includes(parsed.value)) out.push(parsed.value);
    }
    return out;
  });

const isHost = (value: string) => HOST_NAME.test(value) || ipaddr.isValid(value);

export const groupNameSchema = z.string({ error: "expected a string" }).regex(GROUP_NAME, "expected 1 to 64 letters, digits, spaces, '.', '_' or '-'");

const networkFieldsSchema = z.object({
  name: z.string({ error: "expected a string" }).trim().min(1, "must not be empty").max(64, "expected at most 64 characters"),
  address: cidrList(parseGatewayCidr),
  port: z.int({ error: "expected a port number (1-65535)" }).min(1, "expected a port number (1-65535)").max(65535, "expected a port number (1-65535)"),
  endpoint: z
    .string({ error: "expected a string" })
    .trim()
    .transform((v) => v.replace(/^\[(.*)\]$/, "$1"))
    .refine(isHost, "expected a host name or IP address without port, such as vpn.example.com"),
  allowed_ips: cidrList(parseRouteCidr),
  dns: z
    .string({ error: "expected a string" })
    .nullish()
    .transform((v) => (v ? splitList(v).join(", ") || null : null))
    .refine((v) => v === null || splitList(v).every(isHost), "expected DNS servers (IP addresses) or search domains, comma-separated"),
  keepalive_interval: z.int({ error: "expected a whole number of seconds" }).min(0, "expected 0 to 65535").max(65535, "expected 0 to 65535").default(25),
  peer_disconnect_threshold: z
    .int({ error: "expected a whole number of seconds" })
    .min(1, "expected a positive number of seconds")
    .max(2_147_483_647, "expected at most 2147483647")
    .default(300),
  allowed_groups: z.array(groupNameSchema, { error: "expected a list of group names" }).default([]),
  mfa_mode: mfaModeSchema.optional(),
  /** Defguard 1.6's name for the same setting; either may be given, both only when they agree. */
  location_mfa_mode: mfaModeSchema.optional(),
});

/** A network as an admin describes it, normalized (defaults applied, CIDRs canonical). */
export const networkInputSchema = networkFieldsSchema
  .refine((n) => n.mfa_mode === undefined || n.location_mfa_mode === undefined || n.mfa_mode === n.location_mfa_mode, {
    path: ["location_mfa_mode"],
    message: "disagrees with mfa_mode: give one of them",
  })
  .transform(({ location_mfa_mode, mfa_mode, ...network }) => ({ ...network, mfa_mode: mfa_mode ?? location_mfa_mode ?? ("disabled" as MfaMode) }));

export type NetworkInput = z.output<typeof networkInputSchema>;
