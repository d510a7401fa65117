/**
 * The small, dependency-free pieces of RFC 6750 / RFC 9728 both sign-in and the doctor need: the
 * WWW-Authenticate challenge and the protected-resource metadata locations.
 */

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** The first challenge of a WWW-Authenticate header: `Bearer realm="x", resource_metadata="…", scope="a b"`. */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = pattern.exec(match[2]!); m; m = pattern.exec(match[2]!)) {
    params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/** A Bearer challenge's fields that matter for sign-in (a 403 insufficient_scope carries `scope`). */
export function parseChallenge(header: string | null | undefined): { error?: string; scope?: string; resourceMetadata?: string } {
  const challenge = parseWwwAuthenticate(header);
  if (challenge?.scheme !== 'bearer') return {};
  const { error, scope, resource_metadata: resourceMetadata } = challenge.params;
  return { ...(error !== undefined ? { error } : {}), ...(scope !== undefined ? { scope } : {}), ...(resourceMetadata !== undefined ? { resourceMetadata } : {}) };
}

/** RFC 9728 well-known PRM locations for a server URL: path-aware first (query kept), then the root. */
export function protectedResourceMetadataUrls(serverUrl: string): string[] {
  const url = new URL(serverUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const root = `${url.origin}/.well-known/oauth-protected-resource`;
  return path ? [`${root}${path}${url.search}`, root] : [root];
}
