// The device step: a name and a public key (made here with WebCrypto, or pasted), create_device while
// the token is valid, then the configuration (enrollment-config.ts). A create_device whose answer was
// lost to the network is retried with the same key: network_info first finds the device if it was made.
import { ApiError, postJson } from "./api.ts";
import { showConfigs } from "./enrollment-config.ts";
import type { EnrollmentContext } from "./enrollment-context.ts";
import { describeFailure } from "./messages.ts";
import { FormStatus, byId } from "./view.ts";
import { KeyGenerationUnsupported, type WireguardKeyPair, generateWireguardKeyPair, isWireguardKey } from "../../../shared/client/wireguard-keys.ts";
import type { DeviceConfigAnswer } from "./wire-types.ts";

type KeyMode = "generate" | "manual";

/** A create_device call sent but not answered: retried with the very same name and key. */
interface Attempt {
  name: string;
  pubkey: string;
  keys: WireguardKeyPair | undefined;
}

export const PUBKEY_INVALID_MESSAGE =
  'This is not a WireGuard public key: it is 44 characters of base64 ending with "=", as printed by wg pubkey.';
const KEYGEN_HINT = 'Or choose "I already have a WireGuard public key".';

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.kind === "rejected" && error.status === 404;
}

/** The device named `attempt.name` with its key: recovered by network_info if a lost answer made it, else created. */
async function createOrRecover(attempt: Attempt, retrying: boolean): Promise<DeviceConfigAnswer> {
  if (retrying) {
    try {
      return (await postJson<DeviceConfigAnswer>("/api/v1/enrollment/network_info", { pubkey: attempt.pubkey })).data;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return (await postJson<DeviceConfigAnswer>("/api/v1/enrollment/create_device", { name: attempt.name, pubkey: attempt.pubkey })).data;
}

export function setupDeviceSteps(ctx: EnrollmentContext): void {
  const form = byId<HTMLFormElement>("device-form");
  const status = new FormStatus(form);
  const nameInput = byId<HTMLInputElement>("device-name");
  const pubkeyInput = byId<HTMLInputElement>("device-pubkey");
  const skip = byId<HTMLButtonElement>("device-skip");
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  let created = 0;
  let pending: Attempt | undefined;

  const keyMode = (): KeyMode => (new FormData(form).get("key-mode") === "manual" ? "manual" : "generate");
  const refresh = () => {
    byId("device-pubkey-field").hidden = keyMode() !== "manual";
    skip.hidden = !(ctx.info.settings?.vpn_setup_optional || created > 0);
    skip.textContent = created > 0 ? "Finish without another device" : "Skip VPN setup and finish";
  };
  form.addEventListener("change", refresh);
  refresh();

  const nextAttempt = async (name: string): Promise<{ attempt: Attempt; retrying: boolean }> => {
    const manual = keyMode() === "manual" ? pubkeyInput.value.trim() : undefined;
    if (pending && pending.name === name && (manual === undefined ? pending.keys !== undefined : pending.pubkey === manual)) {
      return { attempt: pending, retrying: true };
    }
    if (manual !== undefined) return { attempt: { name, pubkey: manual, keys: undefined }, retrying: false };
    const keys = await generateWireguardKeyPair();
    return { attempt: { name, pubkey: keys.publicKey, keys }, retrying: false };
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return status.showError("Enter a name for this device.");
    if (keyMode() === "manual" && !isWireguardKey(pubkeyInput.value.trim())) return status.showError(PUBKEY_INVALID_MESSAGE);
    void status
      .run(async () => {
        const { attempt, retrying } = await nextAttempt(name);
        pending = attempt;
        let answer: DeviceConfigAnswer;
        try {
          answer = await createOrRecover(attempt, retrying);
        } catch (error) {
          if (!(error instanceof ApiError && error.kind === "network")) pending = undefined;
          throw error;
        }
        pending = undefined;
        created++;
        await showConfigs(ctx, answer, attempt.keys?.privateKey);
      }, submit, "Creating the device…")
      .catch((error: unknown) => {
        if (error instanceof KeyGenerationUnsupported) status.showError(`${error.message} ${KEYGEN_HINT}`);
        else status.showError(describeFailure(error));
      });
  });

  skip.addEventListener("click", () => {
    void status.run(() => ctx.finish(), skip, "Finishing…").catch((error: unknown) => status.showError(describeFailure(error)));
  });

  byId("config-add-device").addEventListener("click", () => {
    form.reset();
    pending = undefined;
    status.clearError();
    refresh();
    ctx.go("device");
  });
}
