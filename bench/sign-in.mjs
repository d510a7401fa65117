// ─────────────────────────────────────────────────────────────────────────────────────────────
// HOOK(sign-in): "sign-in end to end with a scripted browser (oidc-provider)" vs "a plain SDK
// auth() script doing the same", target ≤ 1.0×. NOT MEASURED YET: the OAuth code (src/services/
// auth/**, `mcp-setup login`) is landing from the OAuth helper. To enable this figure:
//   1. start an oidc-provider authorization server + a protected MCP endpoint on 127.0.0.1
//      (reuse the OAuth helper's test fixture once it exists);
//   2. `cmd`: run `mcp-setup login URL` (or `add --url URL`) with the browser opener pointed at a
//      scripted browser that follows the authorize redirect to the loopback callback
//      (e.g. a BROWSER=/path/to/script env the CLI honours, or the --no-browser paste flow);
//   3. `baseline`: a bench/sdk-auth.mjs that calls the SDK's auth() with an
//      OAuthClientProvider whose redirectToAuthorization() drives the same scripted browser;
//   4. return { cmd, baseline } below (each `{ command, args, env }`), and bench/run.mjs will
//      time them interleaved like every other figure.
// Until then signInFigure() returns null and run.mjs reports "not measured yet" (not a failure).
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** @returns {Promise<null | { setup(): Promise<{ cmd: object, baseline: object, stop(): Promise<void> }> }>} */
export async function signInFigure() {
  return null;
}
