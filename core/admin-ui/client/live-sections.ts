// Sections of a page marked `data-live` (with an id) show state that changes by itself (gateways coming
// and going, devices connecting): every LIVE_REFRESH_MS, while the tab is visible, the page is fetched
// again and those sections take the server's new rendering. The server stays the only renderer.

const LIVE_REFRESH_MS = 5_000;

async function refresh(sections: HTMLElement[]): Promise<void> {
  if (document.visibilityState !== "visible") return;
  const response = await fetch(location.href, { credentials: "same-origin", headers: { accept: "text/html" } });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const section of sections) {
    const next = fresh.getElementById(section.id);
    // Keep what has focus: replacing it would throw a keyboard user back to the top.
    if (next && !section.contains(document.activeElement)) section.replaceChildren(...[...next.childNodes].map((n) => document.importNode(n, true)));
  }
  document.body.dataset.liveRefreshed = String(Number(document.body.dataset.liveRefreshed ?? 0) + 1);
}

export function startLiveSections(): void {
  const sections = [...document.querySelectorAll<HTMLElement>("[data-live][id]")];
  if (sections.length === 0) return;
  const tick = () => void refresh(sections).catch(() => undefined).finally(() => window.setTimeout(tick, LIVE_REFRESH_MS));
  window.setTimeout(tick, LIVE_REFRESH_MS);
}
