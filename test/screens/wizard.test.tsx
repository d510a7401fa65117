import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, type WizardResult } from '../../src/app/App.js';
import { ServicesProvider } from '../../src/app/services-context.js';
import { wizardServices } from '../../src/app/wizard-services.js';
import { CancelledError } from '../../src/services/errors.js';
import type { Answers } from '../../src/app/flow.js';
import { KEY, renderTui } from '../helpers/ink.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';
import { useLoopbackPeers } from '../helpers/peers.js';
import { startEverything } from '../helpers/everything.js';

const peers = useLoopbackPeers();

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome();
});
afterEach(() => t.cleanup());

function wizard(preAnswers: Answers = {}) {
  const ui = renderTui(
    <ServicesProvider services={wizardServices(t.deps, { timeoutMs: 5000 })}>
      <App preAnswers={preAnswers} />
    </ServicesProvider>,
  );
  return ui;
}

describe('the wizard, screen by screen, on real services', () => {
  it('lists installed apps first and marked', async () => {
    await mkdir(path.join(t.home, '.cursor'), { recursive: true });
    const ui = wizard();
    await ui.waitForText('Which apps should use this server?');
    await ui.waitForText('Cursor  ✓ installed');
    const lines = ui.frame().split('\n');
    const cursorLine = lines.findIndex((l) => l.includes('Cursor'));
    const claudeLine = lines.findIndex((l) => l.includes('Claude Code'));
    expect(cursorLine).toBeLessThan(claudeLine);
    expect(lines[cursorLine]).toContain('❯');
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toBeInstanceOf(CancelledError);
  });

  it('walks app → scope → URL → live check → name → review → done and writes the file', async () => {
    const ui = wizard();
    await ui.waitForText('Claude Code');
    ui.press(KEY.enter); // Claude Code (nothing installed: registry order)
    await ui.waitForText('Who should get this server?');
    ui.press(KEY.down);
    await ui.waitForText('❯ Everyone working in this project');
    ui.press(KEY.enter); // project scope
    await ui.waitForText("What's the server's URL?");
    ui.type('http://example.com/mcp');
    ui.press(KEY.enter);
    await ui.waitForText('Plain http:// is only allowed for servers on this machine.');
    for (let i = 0; i < 'http://example.com/mcp'.length; i++) {
      ui.press('\u007F');
      await ui.waitForText(`› ${'http://example.com/mcp'.slice(0, 'http://example.com/mcp'.length - i - 1)}`);
    }
    ui.type(`  ${peers.server.url}/  `);
    await ui.waitForText(`will use ${peers.server.url}`);
    ui.press(KEY.enter);
    await ui.waitForText('Connected to Everything Reference Server');
    expect(ui.frame()).toMatch(/\d+ tools:/);
    expect(ui.frame()).toContain('echo');
    expect(ui.frame()).toMatch(/protocol \d{4}-\d{2}-\d{2}/);
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    expect(ui.frame()).toContain('› everything');
    ui.press(KEY.enter);
    await ui.waitForText(path.join(t.cwd, '.mcp.json'));
    expect(ui.frame()).toContain('"type": "http"');
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    expect(result.answers).toMatchObject({ clients: ['claude-code'], scope: 'project', url: peers.server.url, name: 'everything' });
    expect(ui.frame()).toContain('Added everything in Claude Code (project)');
    expect(JSON.parse(await readFile(path.join(t.cwd, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { everything: { type: 'http', url: peers.server.url } } });
  });

  it('several apps in one run: Space ticks, Enter confirms, one review lists every file', async () => {
    const ui = wizard({ url: peers.server.url, name: 'ev' });
    await ui.waitForText('VS Code');
    ui.press(' '); // Claude Code
    ui.press(KEY.down);
    ui.press(KEY.down);
    ui.press(' '); // VS Code
    await ui.waitForText('◉ VS Code');
    ui.press(KEY.enter);
    await ui.waitForText('Who should get this server?');
    expect(ui.frame()).not.toContain('(local)');
    ui.press(KEY.enter);
    await ui.waitForText('Connected to Everything Reference Server');
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    ui.press(KEY.enter);
    await ui.waitForText(path.join(t.home, '.claude.json'));
    expect(ui.frame()).toContain(path.join(t.home, '.config', 'Code', 'User', 'mcp.json'));
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    expect(result.applied.map((a) => a.client)).toEqual(['claude-code', 'vscode']);
  });

  it('flags pre-answer screens; Esc goes back to revisit them', async () => {
    const ui = wizard({ clients: ['cursor'], scope: 'user', url: peers.server.url });
    await ui.waitForText('Connected to Everything Reference Server');
    ui.press(KEY.escape);
    await ui.waitForText("What's the server's URL?");
    expect(ui.frame()).toContain(peers.server.url);
    ui.press(KEY.escape);
    await ui.waitForText('Which apps should use this server?');
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toBeInstanceOf(CancelledError);
    await expect(stat(path.join(t.home, '.cursor'))).rejects.toThrow();
  });

  it('a failing server offers retry / edit URL / quit', async () => {
    const ui = wizard({ clients: ['cursor'], scope: 'user', url: peers.faults.url('/missing') });
    await ui.waitForText('No MCP server at');
    expect(ui.frame()).toContain('Try again');
    expect(ui.frame()).toContain('Edit the URL');
    ui.press(KEY.down);
    await ui.waitForText('❯ Edit the URL');
    ui.press(KEY.enter);
    await ui.waitForText("What's the server's URL?");
    ui.press(KEY.ctrlC);
    await expect(ui.exited).rejects.toBeInstanceOf(CancelledError);
  });

  it('a server that needs sign-in can still be added', async () => {
    const ui = wizard({ clients: ['vscode'], scope: 'user', url: peers.faults.url('/unauthorized'), name: 'secure' });
    await ui.waitForText('This server needs sign-in.');
    expect(ui.frame()).toContain('Sign in now in the browser');
    ui.press(KEY.down);
    await ui.waitForText('❯ Skip the check: the app will ask me to sign in');
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    ui.press(KEY.enter);
    await ui.waitForText('Write this to your config?');
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    expect(result.verification).toEqual({ status: 'needs-auth' });
    expect(ui.frame()).toContain('Each app signs in to this server itself');
    expect(ui.frame()).toContain('MCP: List Servers');
  });

  it('an unparsable config file: error on review, nothing written', async () => {
    const file = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, '{ "mcpServers": { ');
    const ui = wizard({ clients: ['cursor'], scope: 'user', url: peers.server.url, name: 'ev' });
    await ui.waitForText('Connected');
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    ui.press(KEY.enter);
    await ui.waitForText('is not valid JSON');
    expect(ui.frame()).toContain('Go back');
    ui.press(KEY.down);
    await ui.waitForText('❯ Quit');
    ui.press(KEY.enter);
    await expect(ui.exited).rejects.toBeInstanceOf(CancelledError);
    expect(await readFile(file, 'utf8')).toBe('{ "mcpServers": { ');
  });
});

describe('Claude Desktop in the wizard', () => {
  it('local bridge: writes a stdio entry that runs mcp-setup proxy', async () => {
    const ui = wizard({ clients: ['claude-desktop'], url: peers.server.url, name: 'ev' });
    await ui.waitForText('Connected to Everything Reference Server');
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    ui.press(KEY.enter);
    await ui.waitForText('How should Claude Desktop reach this server?');
    // Loopback URLs can't be Connectors (they run from Anthropic's cloud): the bridge is offered.
    await ui.select(/[Bb]ridge/);
    ui.press(KEY.enter);
    await ui.waitForText('Write this to your config?');
    await ui.waitForText('claude_desktop_config.json');
    expect(ui.frame()).toContain('"command"');
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    const file = result.applied[0]!.file;
    const entry = JSON.parse(await readFile(file, 'utf8')).mcpServers.ev;
    expect(entry.args).toContain('proxy');
    expect(entry.args).toContain(peers.server.url);
  });
});

describe('choosing tools', () => {
  it('the ticked tools are written where the app filters (Codex), and the screen says which apps cannot', async () => {
    const ui = wizard({ clients: ['codex', 'cursor'], scope: 'user', url: peers.server.url, name: 'ev' });
    await ui.waitForText('Connected to Everything Reference Server');
    ui.press(KEY.enter);
    await ui.waitForText('Which tools may the apps use?');
    expect(ui.frame()).toContain('Codex will offer only the ticked tools');
    expect(ui.frame()).toContain('Cursor has no per-server tool filter');
    await ui.waitForText('❯ ◉ echo');
    ui.press(' ');
    await ui.waitForText('❯ ◯ echo');
    ui.press(KEY.enter);
    await ui.waitForText('What should the server be called?');
    ui.press(KEY.enter);
    await ui.waitForText('Write this to your config?');
    await ui.waitForText('config.toml');
    ui.press(KEY.enter);
    const result = (await ui.exited) as WizardResult;
    expect(result.answers.enabledTools).not.toContain('echo');
    expect(result.answers.enabledTools).toContain('get-sum');
    const toml = await readFile(path.join(t.home, '.codex', 'config.toml'), 'utf8');
    expect(toml).toMatch(/enabled_tools = \[[^\]]*"get-sum"/);
    expect(toml).not.toMatch(/"echo"/);
    const cursor = JSON.parse(await readFile(path.join(t.home, '.cursor', 'mcp.json'), 'utf8'));
    expect(cursor.mcpServers.ev).toEqual({ url: peers.server.url });
  });
});

describe('API-key servers', () => {
  it('a 401 can be answered with a header; a ${VAR} reference is what gets written', async () => {
    const keyed = await startEverything({ apiKey: 'k-123456789' });
    try {
      t.deps.system.env = { ...t.deps.system.env, MY_KEY: 'k-123456789' };
      const ui = wizard({ clients: ['claude-code'], scope: 'user', url: keyed.url, name: 'keyed' });
      await ui.waitForText('This server needs sign-in.');
      await ui.select(/Use an API key instead/);
      ui.press(KEY.enter);
      await ui.waitForText('Which header does the server expect?');
      ui.type('x-api-key: wrong');
      await ui.waitForText('› x-api-key: wrong');
      ui.press(KEY.enter);
      await ui.waitForText('This server needs sign-in.');
      await ui.select(/Use an API key instead/);
      ui.press(KEY.enter);
      await ui.waitForText('Which header does the server expect?');
      ui.type('x-api-key: ${MY_KEY}');
      await ui.waitForText('› x-api-key: ${MY_KEY}');
      ui.press(KEY.enter);
      await ui.waitForText('Connected to Everything Reference Server');
      ui.press(KEY.enter);
      await ui.waitForText('What should the server be called?');
      ui.press(KEY.enter);
      await ui.waitForText(path.join(t.home, '.claude.json'));
      expect(ui.frame()).not.toContain('k-123456789');
      ui.press(KEY.enter);
      const result = (await ui.exited) as WizardResult;
      expect(result.answers.headers).toEqual({ 'x-api-key': '${MY_KEY}' });
      const doc = JSON.parse(await readFile(path.join(t.home, '.claude.json'), 'utf8'));
      expect(doc.mcpServers.keyed.headers).toEqual({ 'x-api-key': '${MY_KEY}' });
    } finally {
      await keyed.stop();
    }
  });

  it('the review never shows a literal key, in whatever field the app keeps headers (Codex http_headers)', async () => {
    const keyed = await startEverything({ apiKey: 'k-2718281828' });
    try {
      const ui = wizard({ clients: ['codex'], scope: 'user', url: keyed.url, name: 'keyed', headers: { 'x-api-key': 'k-2718281828' } });
      await ui.waitForText('Connected to Everything Reference Server');
      ui.press(KEY.enter);
      await ui.waitForText('Which tools may the apps use?');
      ui.press(KEY.enter);
      await ui.waitForText('What should the server be called?');
      ui.press(KEY.enter);
      await ui.waitForText(path.join(t.home, '.codex', 'config.toml'));
      expect(ui.frame()).toContain('"http_headers"');
      expect(ui.frame()).toContain('"x-api-key": "(hidden)"');
      expect(ui.frame()).not.toContain('k-2718281828');
      ui.press(KEY.enter);
      await ui.exited;
      expect(await readFile(path.join(t.home, '.codex', 'config.toml'), 'utf8')).toContain('k-2718281828');
    } finally {
      await keyed.stop();
    }
  });
});

