// The security headers of every server-rendered page and its assets (the Proxy's pages, the Core's admin
// UI): a CSP allowing scripts, styles, images and requests from this origin only (no inline script or
// style, nothing from another host), no framing, no referrer, no camera/microphone/location. HSTS is
// left to the TLS terminator in front.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

export const pageHeaders: MiddlewareHandler = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  referrerPolicy: "no-referrer",
  xFrameOptions: "DENY",
  strictTransportSecurity: false,
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
});
