import { makeTempHome, type TempHome } from '../temp-home.js';
import type { AuthDeps } from '../../../src/services/auth/types.js';
import { ScriptedBrowser, type BrowseOptions, type BrowseResult } from './browser.js';

export { startOidcPeer, type OidcPeer, type OidcPeerOptions } from './oidc-peer.js';
export { ScriptedBrowser, type BrowseOptions, type BrowseResult } from './browser.js';

export interface AuthHome extends TempHome {
  deps: AuthDeps;
  browser: ScriptedBrowser;
  /** URLs handed to deps.openBrowser. */
  opened: string[];
  /** Finished visits of the scripted browser (one per opened URL). */
  visits: Promise<BrowseResult>[];
}

/**
 * A temp HOME whose openBrowser drives the scripted browser (file token store forced, as the
 * composition root does with MCP_SETUP_TOKEN_STORE=file).
 */
export async function makeAuthHome(options: { browse?: BrowseOptions; openBrowser?: boolean; now?: () => number } = {}): Promise<AuthHome> {
  const home = await makeTempHome();
  const browser = new ScriptedBrowser();
  const opened: string[] = [];
  const visits: Promise<BrowseResult>[] = [];
  const deps: AuthDeps = {
    ...home.deps,
    ...(options.now ? { now: options.now } : {}),
    authConfig: { tokenStore: 'file' },
    openBrowser: async (url) => {
      opened.push(url);
      if (options.openBrowser === false) return false;
      const visit = browser.browse(url, options.browse);
      visit.catch(() => {});
      visits.push(visit);
      return true;
    },
  };
  return { ...home, deps, browser, opened, visits };
}
