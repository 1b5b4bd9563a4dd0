// The loader's early look at sfdcIframeOrigin, so that Open CTI and the host handshake can start
// while the wasm is still compiling (the cold start, issue 15). It is the rule of src/origin.rs
// with that file's list of Salesforce domains, read at build time (__SALESFORCE_SUFFIXES__, see
// www/widget/build.mjs). Rust's isTrustedConsoleOrigin still decides before the adapter starts;
// tests/e2e/origin.test.mjs checks that this never trusts an origin Rust refuses. Anything this
// does not trust waits for Rust's answer, as before.

/* global __SALESFORCE_SUFFIXES__ */
const SUFFIXES = __SALESFORCE_SUFFIXES__;

/** `origin` is exactly `scheme://host[:port]` with the page's protocol, and a Salesforce host or
 * one listed in `extra` (comma-separated). */
export function earlyTrusted(origin, extra, pageProtocol) {
  if (typeof origin !== 'string') return false;
  const at = origin.indexOf('://');
  if (at < 0) return false;
  const scheme = origin.slice(0, at);
  if ((scheme !== 'http' && scheme !== 'https') || `${scheme}:` !== pageProtocol) return false;
  const rest = origin.slice(at + 3);
  const colon = rest.lastIndexOf(':');
  const host = colon < 0 ? rest : rest.slice(0, colon);
  const port = colon < 0 ? null : rest.slice(colon + 1);
  if (!/^[A-Za-z0-9._-]+$/.test(host)) return false;
  if (port !== null && !/^[0-9]{1,5}$/.test(port)) return false;
  if (String(extra ?? '').split(',').some((e) => e.trim() === origin)) return true;
  const lower = host.toLowerCase();
  return SUFFIXES.some((s) => lower.length > s.length && lower.endsWith(s));
}
