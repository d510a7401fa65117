import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, type WizardResult } from '../../src/app/App.js';
import { ServicesProvider } from '../../src/app/services-context.js';
import { wizardServices } from '../../src/app/wizard-services.js';
import { KEY, renderTui } from '../helpers/ink.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';
import { useLoopbackPeers } from '../helpers/peers.js';
import { startEverything } from '../helpers/everything.js';

const peers = useLoopbackPeers();

let t: TempHome;
let cursorFile: string;
beforeEach(async () => {
  t = await makeTempHome();
  cursorFile = path.join(t.home, '.cursor', 'mcp.json');
  await mkdir(path.dirname(cursorFile), { recursive: true });
  await writeFile(cursorFile, JSON.stringify({ mcpServers: { everything: { url: peers.server.url }, broken: { url: peers.faults.url('/nope') } } }, null, 2));
});
afterEach(() => t.cleanup());

const wizard = () =>
  renderTui(
    <ServicesProvider services={wizardServices(t.deps, { timeoutMs: 5000 })}>
      <App preAnswers={{}} />
    </ServicesProvider>,
  );

describe('Manage and Doctor screens', () => {
  it('m opens your servers: check one live, rename it, then remove it', async () => {
    const ui = wizard();
    await ui.waitForText('m manage or fix your servers');
    ui.press('m');
    await ui.waitForText('everything');
    ui.press(KEY.enter);
    await ui.waitForText('Check it now');
    ui.press(KEY.enter);
    await ui.waitForText(/\d+ tools · \d+ ms/);
    ui.press(KEY.enter);
    await ui.waitForText('Rename it');
    await ui.select(/Rename it/);
    ui.press(KEY.enter);
    await ui.waitForText('New name for everything');
    for (let i = 0; i < 'everything'.length; i++) await ui.pressAndWait('\u007F');
    ui.type('ev2');
    await ui.waitForText('› ev2');
    ui.press(KEY.enter);
    await ui.waitForText('Renamed everything to ev2 in Cursor');
    expect(JSON.parse(await readFile(cursorFile, 'utf8')).mcpServers.ev2).toEqual({ url: peers.server.url });
    await ui.waitForText('❯ ev2');
    ui.press(KEY.enter);
    await ui.waitForText('Remove it from Cursor');
    await ui.select(/Remove it/);
    ui.press(KEY.enter);
    await ui.waitForText('No, keep it');
    ui.press(KEY.down);
    await ui.waitForText('❯ Yes, remove it');
    ui.press(KEY.enter);
    await ui.waitForText('Removed ev2 from Cursor');
    expect(JSON.parse(await readFile(cursorFile, 'utf8')).mcpServers.ev2).toBeUndefined();
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toThrow();
  });

  it('doctor from Manage finds the cause and offers a support report', async () => {
    const ui = wizard();
    await ui.waitForText('m manage or fix your servers');
    ui.press('m');
    await ui.waitForText('broken');
    ui.press(KEY.down);
    await ui.waitForText(/❯ broken/);
    ui.press(KEY.enter);
    await ui.waitForText('Troubleshoot it (doctor)');
    ui.press(KEY.down);
    await ui.waitForText('❯ Troubleshoot it');
    ui.press(KEY.enter);
    await ui.waitForText('Cause:', 20_000);
    expect(ui.frame()).toMatch(/404/);
    await ui.waitForText('Save a support report');
    await ui.select(/Save a support report/);
    ui.press(KEY.enter);
    await ui.waitForText(/Saved \S+\.txt/);
    const saved = /Saved (\S+\.txt)/.exec(ui.frame())![1]!;
    expect(await readFile(saved, 'utf8')).toContain(peers.faults.url('/nope').replace(/\/nope$/, ''));
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toThrow();
  });

  it('Esc goes back one level inside Manage, then out of it', async () => {
    const ui = wizard();
    await ui.waitForText('m manage or fix your servers');
    ui.press('m');
    await ui.waitForText('everything');
    ui.press(KEY.enter);
    await ui.waitForText('Check it now');
    await ui.select(/Rename it/);
    ui.press(KEY.enter);
    await ui.waitForText('New name for everything');
    await ui.pressAndWait(KEY.escape);
    await ui.waitForText('Check it now');
    await ui.pressAndWait(KEY.escape);
    await ui.waitForText('broken');
    await ui.pressAndWait(KEY.escape);
    await ui.waitForText('Which apps should use this server?');
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toThrow();
    expect(JSON.parse(await readFile(cursorFile, 'utf8')).mcpServers.everything).toBeTruthy();
  });

  it('add it to another app: the add flow with URL and name already known', async () => {
    const ui = wizard();
    await ui.waitForText('m manage or fix your servers');
    ui.press('m');
    await ui.waitForText('everything');
    ui.press(KEY.enter);
    await ui.waitForText('Add it to another app');
    await ui.select(/Add it to another app/);
    ui.press(KEY.enter);
    await ui.waitForText('Which apps should use this server?');
    await ui.waitForText('VS Code');
    ui.press(KEY.down);
    ui.press(KEY.down);
    await ui.waitForText('❯ ◯ VS Code');
    ui.press(KEY.enter);
    await ui.waitForText('Who should get this server?');
    ui.press(KEY.enter);
    await ui.waitForText('Connected to Everything Reference Server');
    ui.press(KEY.enter);
    await ui.waitForText('› everything');
    ui.press(KEY.enter);
    await ui.waitForText(path.join(t.home, '.config', 'Code', 'User', 'mcp.json'));
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    expect(result.applied.map((a) => a.client)).toEqual(['vscode']);
  });

  it("an API-key server is checked with the key its app sends, and a copy to another app keeps the header", async () => {
    const keyed = await startEverything({ apiKey: 'k-16180339' });
    try {
      // Cursor reads the key from $KEYED_KEY: checked with it, and copied as a reference, never the key.
      t.deps.system.env = { ...t.deps.system.env, KEYED_KEY: 'k-16180339' };
      await writeFile(cursorFile, JSON.stringify({ mcpServers: { keyed: { url: keyed.url, headers: { 'x-api-key': '${env:KEYED_KEY}' } } } }, null, 2));
      const ui = wizard();
      await ui.waitForText('m manage or fix your servers');
      ui.press('m');
      await ui.waitForText('keyed');
      ui.press(KEY.enter);
      await ui.waitForText('Check it now');
      ui.press(KEY.enter);
      await ui.waitForText(/\d+ tools · \d+ ms/);
      expect(ui.frame()).not.toMatch(/sign-in/i);
      ui.press(KEY.enter);
      await ui.waitForText('Add it to another app');
      await ui.select(/Add it to another app/);
      ui.press(KEY.enter);
      // Claude Code spells the reference ${VAR}, not Cursor's ${env:VAR}.
      await ui.waitForText('Which apps should use this server?');
      await ui.select(/◯ Claude Code/);
      ui.press(KEY.enter);
      await ui.waitForText('Who should get this server?');
      ui.press(KEY.enter);
      await ui.waitForText('Connected to Everything Reference Server');
      ui.press(KEY.enter);
      await ui.waitForText('› keyed');
      ui.press(KEY.enter);
      await ui.waitForText('Write');
      expect(ui.frame()).not.toContain('k-16180339');
      ui.press(KEY.enter);
      const result = (await ui.exited) as WizardResult;
      expect(result.applied.map((a) => a.client)).toEqual(['claude-code']);
      const written = await readFile(result.applied[0]!.file, 'utf8');
      expect(written).toContain('"x-api-key": "${KEYED_KEY}"');
      expect(written).not.toContain('k-16180339');
    } finally {
      await keyed.stop();
    }
  });
});
