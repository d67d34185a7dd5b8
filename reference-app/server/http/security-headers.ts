import type { RequestHandler } from 'express';

/**
 * Headers on every response. The CSP fits the SPA: its own scripts and
 * styles (plus the CDN's origin when assets come from one), API calls to
 * itself, no framing.
 */
export function securityHeaders(assetBaseUrl: string | undefined, instanceId: string): RequestHandler {
  const headers = securityHeaderList(assetBaseUrl, instanceId);
  return (_req, res, next) => {
    for (const [k, v] of headers) res.setHeader(k, v);
    next();
  };
}

/** The headers as pairs, for the hot path that answers before Express. */
export function securityHeaderList(assetBaseUrl: string | undefined, instanceId: string): [string, string][] {
  const cdn = assetBaseUrl ? ` ${new URL(assetBaseUrl).origin}` : '';
  const csp = [
    "default-src 'self'",
    `script-src 'self'${cdn}`,
    `style-src 'self' 'unsafe-inline'${cdn}`,
    `img-src 'self' data: blob:${cdn}`,
    `font-src 'self' data:${cdn}`,
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers: [string, string][] = [
    ['Content-Security-Policy', csp],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
    // Which instance answered, for balancing checks; an opaque id, since a pid tells an attacker about the host.
    ['X-Instance', instanceId],
  ];
  return headers;
}
