import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type WizardResult } from '../../src/app/App.js';
import { ServicesProvider } from '../../src/app/services-context.js';
import { wizardServices } from '../../src/app/wizard-services.js';
import { makeAuthHome, startOidcPeer, type AuthHome, type OidcPeer } from '../helpers/oauth/index.js';
import { KEY, renderTui } from '../helpers/ink.js';

let home: AuthHome | undefined;
let peer: OidcPeer | undefined;
afterEach(async () => {
  await peer?.close();
  await home?.cleanup();
  peer = undefined;
  home = undefined;
});

describe('signing in from the wizard (oidc-provider + scripted browser)', () => {
  it('needs sign-in → sign in → live tools → write → tells how the app signs in itself', async () => {
    peer = await startOidcPeer({ deviceFlow: false });
    home = await makeAuthHome();
    // $BROWSER set: a browser is available here, and deps.openBrowser is the scripted one.
    const deps = { ...home.deps, system: { ...home.deps.system, env: { ...home.deps.system.env, BROWSER: 'scripted' } } };
    const ui = renderTui(
      <ServicesProvider services={wizardServices(deps, { timeoutMs: 10_000 })}>
        <App preAnswers={{ clients: ['claude-code'], scope: 'user', url: peer.mcpUrl, name: 'secure' }} />
      </ServicesProvider>,
    );
    await ui.waitForText('This server needs sign-in.');
    await ui.waitForText('❯ Sign in now in the browser');
    ui.press(KEY.enter);
    await ui.waitForText('Connected to', 20_000);
    expect(home.opened).toHaveLength(1);
    expect(ui.frame()).toMatch(/\d+ tools?/);
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    ui.press(KEY.enter);
    await ui.waitForText(path.join(home.home, '.claude.json'));
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    expect(result.answers.signedIn).toBe(true);
    expect(ui.frame()).toContain('claude mcp login secure');
    expect(JSON.parse(await readFile(path.join(home.home, '.claude.json'), 'utf8')).mcpServers.secure).toEqual({ type: 'http', url: peer.mcpUrl });
  });

  it('headless: shows the URL and accepts the pasted redirect address', async () => {
    peer = await startOidcPeer({ deviceFlow: false });
    home = await makeAuthHome({ openBrowser: false });
    const ui = renderTui(
      <ServicesProvider services={wizardServices(home.deps, { timeoutMs: 10_000, noBrowser: true })}>
        <App preAnswers={{ clients: ['cursor'], scope: 'user', url: peer.mcpUrl, name: 'secure' }} />
      </ServicesProvider>,
    );
    await ui.waitForText('❯ Sign in now in the browser');
    ui.press(KEY.enter);
    await ui.waitForText('No browser here');
    // Ink wraps the long link over several lines; the block after the heading is the link.
    const block = ui.frame().split('\n\n').find((b) => b.includes('No browser here'))!;
    const authUrl = block.split('\n').slice(1).map((l) => l.trim()).join('');
    expect(authUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/);
    expect(authUrl).toBeTruthy();
    // The user's own browser can't reach our listener (SSH): it ends on a "connection refused" page.
    const visit = await home.browser.browse(authUrl!, { stopAt: (u) => u.pathname === '/callback' });
    expect(visit.stopped).toBe(true);
    ui.type(visit.url);
    await ui.waitForText(visit.url.slice(0, 30));
    ui.press(KEY.enter);
    await ui.waitForText('Connected to', 20_000);
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toThrow();
  });
});
