/** What the user pasted after signing in on another machine. */
export type PastedCallback =
  | { kind: 'url'; params: URLSearchParams }
  | { kind: 'code'; code: string }
  | { kind: 'invalid'; message: string };

// Bracketed-paste markers arrive literally when the terminal wraps a paste in them.
// eslint-disable-next-line no-control-regex
const BRACKETED_PASTE = /\u001b?\[20[01]~/g;

/**
 * Accept the redirect URL from the browser's address bar (with or without quotes, angle brackets,
 * bracketed-paste escapes, or its parameters after `#`), or a bare authorization code.
 */
export function parsePastedCallback(input: string): PastedCallback {
  // eslint-disable-next-line no-control-regex
  let text = input.replace(BRACKETED_PASTE, '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  text = text.replace(/^[\s"'<`]+|[\s"'>`]+$/g, '').trim();
  if (text === '') return { kind: 'invalid', message: 'Nothing was pasted.' };
  if (/^https?:\/\//i.test(text) || /^(127\.0\.0\.1|localhost)[:/]/i.test(text)) {
    let url: URL;
    try {
      url = new URL(/^https?:\/\//i.test(text) ? text : `http://${text}`);
    } catch {
      return { kind: 'invalid', message: "That doesn't look like the address from the browser." };
    }
    const params = new URLSearchParams(url.search);
    // Some apps show the callback with its parameters in the fragment.
    if (!params.has('code') && !params.has('error') && url.hash.length > 1) {
      for (const [key, value] of new URLSearchParams(url.hash.slice(1))) params.append(key, value);
    }
    if (!params.has('code') && !params.has('error')) {
      return { kind: 'invalid', message: 'That address has no authorization code in it. Paste the whole address from the page you were sent to after approving.' };
    }
    return { kind: 'url', params };
  }
  if (text.startsWith('?') || /^(code|state|iss)=/.test(text)) {
    const params = new URLSearchParams(text.replace(/^\?/, ''));
    if (params.has('code') || params.has('error')) return { kind: 'url', params };
  }
  const code = text.replace(/^#/, '');
  if (/^[A-Za-z0-9._~+/=-]{4,2048}$/.test(code)) return { kind: 'code', code };
  return { kind: 'invalid', message: "That is neither the browser's address nor an authorization code." };
}
