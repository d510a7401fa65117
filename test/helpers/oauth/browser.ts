/**
 * A scripted browser: plain fetch with a hand-kept cookie jar. It follows redirects, submits the
 * first form on each page (login, consent, device confirm, approve buttons), and stops at the
 * loopback callback or at a page without a form.
 */
export interface BrowseOptions {
  /** Rewrite a URL before it is requested (tamper with state/iss on the way to the callback). */
  tamper?: (url: URL) => URL;
  /** Stop before requesting a URL that matches, returning it (the "connection refused" case over SSH). */
  stopAt?: (url: URL) => boolean;
  maxSteps?: number;
}

export interface BrowseResult {
  url: string;
  status: number;
  body: string;
  /** True when stopped by `stopAt` without requesting the URL. */
  stopped: boolean;
  visited: string[];
}

export class ScriptedBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string | undefined {
    const cookies = this.jar.get(url.host);
    if (!cookies || cookies.size === 0) return undefined;
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq < 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const cookies = this.jar.get(url.host) ?? new Map<string, string>();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
      this.jar.set(url.host, cookies);
    }
  }

  async browse(start: string, options: BrowseOptions = {}): Promise<BrowseResult> {
    let url = new URL(start);
    let init: { method: string; body?: URLSearchParams } = { method: 'GET' };
    const visited: string[] = [];
    for (let step = 0; step < (options.maxSteps ?? 20); step++) {
      if (options.tamper) url = options.tamper(url);
      if (options.stopAt?.(url)) return { url: url.href, status: 0, body: '', stopped: true, visited };
      visited.push(url.href);
      const headers: Record<string, string> = { Accept: 'text/html' };
      const cookie = this.cookieHeader(url);
      if (cookie) headers.Cookie = cookie;
      if (init.body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, { method: init.method, headers, redirect: 'manual', ...(init.body ? { body: init.body } : {}) });
      this.remember(url, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        init = { method: 'GET' };
        continue;
      }
      const body = await response.text();
      const form = parseForm(body);
      if (!form || response.status >= 400) return { url: url.href, status: response.status, body, stopped: false, visited };
      url = new URL(form.action || url.href, url);
      if (form.method === 'get') {
        for (const [k, v] of form.fields) url.searchParams.set(k, v);
        init = { method: 'GET' };
      } else {
        init = { method: 'POST', body: form.fields };
      }
    }
    throw new Error('scripted browser: too many steps');
  }
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decode(match[2] ?? match[3] ?? '') : undefined;
}

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function parseForm(html: string): { action: string; method: string; fields: URLSearchParams } | undefined {
  const open = /<form\b[^>]*>/i.exec(html);
  if (!open) return undefined;
  const end = html.indexOf('</form>', open.index);
  const inner = html.slice(open.index, end < 0 ? undefined : end);
  const fields = new URLSearchParams();
  for (const tag of inner.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(tag, 'name');
    if (name) fields.append(name, attr(tag, 'value') ?? '');
  }
  // The first named submit button (e.g. "approve") inside the form.
  const button = /<button\b[^>]*\bname\s*=[^>]*>/i.exec(inner);
  if (button) fields.append(attr(button[0], 'name')!, attr(button[0], 'value') ?? '');
  return { action: attr(open[0], 'action') ?? '', method: (attr(open[0], 'method') ?? 'get').toLowerCase(), fields };
}
