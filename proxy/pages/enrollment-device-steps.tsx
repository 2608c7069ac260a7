// The enrollment steps that set up second factors and the VPN device: MFA (TOTP with a QR code, or a
// code by email), the device (name and a key pair made in the browser, or a pasted public key) and its
// configuration (text, download, QR code for the WireGuard mobile app). client/enrollment-*.ts drive them.
import { ErrorLine } from "./components.tsx";

export function MfaStep() {
  return (
    <section data-view="mfa" hidden>
      <h2>Set up two-factor authentication</h2>
      <p>Your administrator asks for a second factor: a code you enter after your password when you sign in.</p>
      <form id="mfa-choice" class="stack" data-mfa-panel>
        <fieldset class="choices-list">
          <legend>How do you want to get your codes?</legend>
          <label class="radio">
            <input type="radio" name="mfa-method" value="Totp" checked /> An authenticator app on your phone
          </label>
          <label class="radio">
            <input type="radio" name="mfa-method" value="Email" id="mfa-method-email" aria-describedby="mfa-email-hint" /> A code sent to
            your email
          </label>
          <p class="hint" id="mfa-email-hint" hidden>
            Email is not set up on this server, so codes by email are not available.
          </p>
        </fieldset>
        <ErrorLine />
        <div class="actions">
          <button type="submit" class="button">
            Continue
          </button>
        </div>
      </form>
      <form id="mfa-code-form" class="stack" data-mfa-panel hidden novalidate>
        <div id="mfa-totp-info" hidden>
          <p>Scan this QR code with your authenticator app (for example FreeOTP, Aegis or Google Authenticator).</p>
          <div class="qr" id="mfa-totp-qr"></div>
          <p>
            Cannot scan it? Enter this key in the app: <code class="secret" id="mfa-totp-secret"></code>
          </p>
        </div>
        <p id="mfa-email-info" hidden>
          We sent a code to <strong data-field="email"></strong>. It is valid for a short time.
        </p>
        <div class="field">
          <label for="mfa-code">Code</label>
          <input id="mfa-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength={6} required />
        </div>
        <ErrorLine />
        <div class="actions">
          <button type="submit" class="button">
            Verify code
          </button>
          <button type="button" class="button secondary" id="mfa-other-method">
            Use another method
          </button>
        </div>
      </form>
      <div id="mfa-recovery" class="stack" data-mfa-panel hidden>
        <h3 tabindex={-1}>Save your recovery codes</h3>
        <p>If you lose your phone or cannot read your mail, each of these codes lets you sign in once. Keep them somewhere safe.</p>
        <ul class="recovery-codes" id="mfa-recovery-codes"></ul>
        <div class="actions">
          <button type="button" class="button" id="mfa-recovery-done">
            I saved my recovery codes
          </button>
        </div>
      </div>
    </section>
  );
}

export function DeviceStep() {
  return (
    <section data-view="device" hidden>
      <h2>Add your VPN device</h2>
      <p>Name the computer or phone you are using, for example "Work laptop".</p>
      <form id="device-form" class="stack" novalidate>
        <div class="field">
          <label for="device-name">Device name</label>
          <input id="device-name" name="name" type="text" required maxlength={64} autocomplete="off" />
        </div>
        <fieldset class="choices-list">
          <legend>Keys</legend>
          <label class="radio">
            <input type="radio" name="key-mode" value="generate" checked aria-describedby="key-generate-hint" /> Make a new key pair
            in this browser (recommended)
          </label>
          <p class="hint" id="key-generate-hint">
            The private key is made on this device and never sent anywhere.
          </p>
          <label class="radio">
            <input type="radio" name="key-mode" value="manual" /> I already have a WireGuard public key
          </label>
        </fieldset>
        <div class="field" id="device-pubkey-field" hidden>
          <label for="device-pubkey">WireGuard public key</label>
          <input id="device-pubkey" name="pubkey" type="text" autocomplete="off" spellcheck={false} maxlength={64} aria-describedby="device-pubkey-hint" />
          <p class="hint" id="device-pubkey-hint">
            44 characters ending with "=", as printed by <code>wg pubkey</code>.
          </p>
        </div>
        <ErrorLine />
        <div class="actions">
          <button type="submit" class="button">
            Create device
          </button>
          <button type="button" class="button secondary" id="device-skip" hidden>
            Skip VPN setup and finish
          </button>
        </div>
      </form>
    </section>
  );
}

/** One network's configuration; the client clones it per entry of `configs`. */
function ConfigTemplate() {
  return (
    <template id="config-template">
      <article class="config">
        <h3 data-config="network_name"></h3>
        <dl class="facts">
          <dt>Your address</dt>
          <dd data-config="assigned_ip"></dd>
          <dt>Server</dt>
          <dd data-config="endpoint"></dd>
        </dl>
        <div class="config-qr" data-config-qr-block>
          <p>On a phone: open the WireGuard app, add a tunnel and scan this QR code.</p>
          <div class="qr" data-config-qr></div>
        </div>
        <p class="hint">On a computer: download the file and import it into WireGuard.</p>
        <pre class="config-text" data-config="text" tabindex={0}></pre>
        <button type="button" class="button" data-config-download>
          Download the configuration file
        </button>
      </article>
    </template>
  );
}

export function ConfigStep() {
  return (
    <section data-view="config" hidden>
      <h2>Your VPN configuration</h2>
      <p>
        Device <strong data-field="device_name"></strong> is ready.
      </p>
      <p class="notice warning" id="config-key-warning">
        Save the configuration now: it contains the private key of this device, which exists only on this page.
      </p>
      <p class="notice" id="config-manual-key" hidden>
        Replace <code>YOUR_PRIVATE_KEY</code> with the private key that belongs to the public key you gave.
      </p>
      <p class="notice" id="config-none" hidden>
        No VPN network is available to you yet. Your administrator can give you access later.
      </p>
      <div id="config-list"></div>
      <ConfigTemplate />
      <div id="config-actions">
        <ErrorLine />
        <div class="actions">
          <button type="button" class="button" id="config-finish">
            Finish enrollment
          </button>
          <button type="button" class="button secondary" id="config-add-device">
            Add another device
          </button>
        </div>
      </div>
    </section>
  );
}
