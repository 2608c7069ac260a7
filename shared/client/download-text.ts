// Saving text the page made (a WireGuard configuration with its private key) as a file, without sending
// it anywhere: an object URL clicked as a download link, released a minute later.

/** How long a downloaded file's object URL is kept before it is released. */
const OBJECT_URL_LIFETIME_MS = 60_000;

export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), OBJECT_URL_LIFETIME_MS);
}
