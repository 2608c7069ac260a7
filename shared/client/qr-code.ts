// QR codes drawn in the browser (the `qrcode` package, as SVG markup it generates itself): the VPN
// configuration for the WireGuard mobile app, which carries the private key and so must never be drawn
// by a server, and the TOTP secret for an authenticator app.
import QRCode from "qrcode";

/**
 * Draws `text` as a QR code inside `target` (replacing its content) and labels it for screen readers.
 * Error correction M: a WireGuard configuration of ~300 characters stays a size phones read easily.
 */
export async function drawQrCode(target: HTMLElement, text: string, label: string): Promise<void> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  target.innerHTML = svg; // markup made by the QR library from our own text, nothing from the network
  target.setAttribute("role", "img");
  target.setAttribute("aria-label", label);
}

/** The otpauth:// URI authenticator apps read: issuer is the instance's name, label the user's login. */
export function totpUri(issuer: string, login: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(login)}`;
  // Percent-encoding (not URLSearchParams' `+` for spaces): authenticator apps read `+` literally.
  const params = { secret, issuer, algorithm: "SHA1", digits: "6", period: "30" };
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  return `otpauth://totp/${label}?${query}`;
}
