import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeLaunch, bridgeTargetOf } from '../../../src/services/clients/bridge-entry.js';
import { connectorsCheck, quitInstructions } from '../../../src/services/clients/claude-desktop-guide.js';
import type { SystemInfo } from '../../../src/services/deps.js';
import { UserError } from '../../../src/services/errors.js';
import { applyPlan, planAdd } from '../../../src/services/setup.js';
import { ClaudeDesktopChoice, ConnectorsGuide } from '../../../src/screens/ClaudeDesktopChoice.js';
import { VERSION } from '../../../src/version.js';
import { KEY, renderTui } from '../../helpers/ink.js';
import { makeTempHome } from '../../helpers/temp-home.js';

const system = (over: Partial<SystemInfo>): SystemInfo => ({ platform: 'linux', home: '/home/u', cwd: '/w', env: {}, isWsl: false, ...over });

describe('connectorsCheck', () => {
  it.each([
    ['https://mcp.example.com/mcp', true],
    ['http://mcp.example.com/mcp', false],
    ['https://127.0.0.1:8443/mcp', false],
    ['https://localhost/mcp', false],
    ['https://[::1]/mcp', false],
    ['https://10.1.2.3/mcp', false],
    ['https://172.20.0.1/mcp', false],
    ['https://192.168.1.10/mcp', false],
    ['https://100.100.1.1/mcp', false],
    ['https://[fd00::1]/mcp', false],
    ['https://printer.local/mcp', false],
    ['https://intranet/mcp', false],
    ['https://8.8.8.8/mcp', true],
  ])('%s → %s', (url, ok) => {
    expect(connectorsCheck(url).ok).toBe(ok);
  });

  it('says how to quit the app fully on each OS', () => {
    expect(quitInstructions('darwin')).toMatch(/⌘Q/);
    expect(quitInstructions('win32')).toMatch(/system tray/);
    expect(quitInstructions('linux', true)).toMatch(/system tray/);
    expect(quitInstructions('linux')).toMatch(/tray/);
  });
});

describe('bridge entries', () => {
  const spec = { name: 'corp', url: 'https://10.0.0.5/mcp', headers: { Authorization: 'Bearer sk-123' }, envHeaders: { 'X-Team': { env: 'TEAM_TOKEN' } } };

  it('installed copy: absolute node + the real script, secrets only in env', () => {
    const launch = bridgeLaunch(spec, system({ launcher: { node: '/opt/node/bin/node', script: '/usr/lib/node_modules/mcp-setup/bin/mcp-setup.js' } }));
    expect(launch).toEqual({
      command: '/opt/node/bin/node',
      args: ['/usr/lib/node_modules/mcp-setup/bin/mcp-setup.js', 'proxy', 'https://10.0.0.5/mcp', '--name', 'corp', '--header', 'Authorization:${MCP_SETUP_HEADER_AUTHORIZATION}', '--header', 'X-Team:${TEAM_TOKEN}'],
      env: { MCP_SETUP_HEADER_AUTHORIZATION: 'Bearer sk-123' },
      via: 'installed',
    });
    expect(bridgeTargetOf(launch)).toEqual({ url: 'https://10.0.0.5/mcp', name: 'corp' });
    expect(bridgeTargetOf({ command: 'npx', args: ['-y', 'some-server'] })).toBeUndefined();
  });

  it('run from the npx cache: npx pinned to this version (the cache path would vanish)', () => {
    const launch = bridgeLaunch({ name: 'a', url: 'https://x.example/mcp' }, system({ launcher: { node: '/nonexistent/bin/node', script: '/home/u/.npm/_npx/1a2b/node_modules/mcp-setup/bin/mcp-setup.js' } }));
    expect(launch.via).toBe('npx');
    expect(launch.args).toContain(`mcp-setup@${VERSION}`);
    expect(launch.args).toContain('--yes');
    expect(launch.command).toBe('/nonexistent/bin/npx');
  });

  it('Windows npx fallback goes through cmd /c', () => {
    const launch = bridgeLaunch({ name: 'a', url: 'https://x.example/mcp' }, system({ platform: 'win32', launcher: { node: 'C:\\nope\\node.exe', script: 'C:\\Users\\u\\AppData\\Local\\npm-cache\\_npx\\9f\\node_modules\\mcp-setup\\bin\\mcp-setup.js' } }));
    expect(launch.command).toBe('cmd');
    expect(launch.args.slice(0, 3)).toEqual(['/c', 'C:\\nope\\npx.cmd', '--yes']);
  });

  it('the node running the tests has npm next to it: node npx-cli.js, with PATH for the bin shebang', () => {
    const launch = bridgeLaunch({ name: 'a', url: 'https://x.example/mcp' }, system({ launcher: { node: process.execPath, script: '/tmp/_npx/x/mcp-setup.js' } }));
    if (launch.command === process.execPath) {
      expect(launch.args[0]).toMatch(/npx-cli\.js$/);
      expect(launch.env?.PATH?.split(':')[0]).toBe(path.dirname(process.execPath));
    }
  });

  it('planAdd: refusal without via (naming both ways), bridge entry with via; applyPlan writes it', async () => {
    const t = await makeTempHome();
    try {
      const deps = { ...t.deps, system: { ...t.deps.system, launcher: { node: '/usr/bin/node', script: '/srv/mcp-setup/bin/mcp-setup.js' } } };
      const refusal = await planAdd({ clients: ['claude-desktop'], name: 'pub', url: 'https://mcp.example.com/mcp' }, deps).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(UserError);
      expect((refusal as UserError).nextSteps.join('\n')).toMatch(/Connectors[\s\S]*--via bridge/);
      const privateRefusal = (await planAdd({ clients: ['claude-desktop'], name: 'p', url: 'http://127.0.0.1:9/mcp' }, deps).catch((e: unknown) => e)) as UserError;
      expect(privateRefusal.hint).toMatch(/this computer/);
      expect(privateRefusal.nextSteps.join(' ')).toContain('--via bridge');

      const plan = await planAdd({ clients: ['claude-desktop', 'cursor'], name: 'pub', url: 'https://mcp.example.com/mcp', via: 'bridge' }, deps);
      expect(plan[0]!.bridge).toBe('installed');
      expect(plan[0]!.entry).toEqual({ command: '/usr/bin/node', args: ['/srv/mcp-setup/bin/mcp-setup.js', 'proxy', 'https://mcp.example.com/mcp', '--name', 'pub'] });
      expect(plan[1]!.bridge).toBeUndefined(); // Cursor keeps its native remote entry
      expect(plan[1]!.entry).toMatchObject({ url: 'https://mcp.example.com/mcp' });
      await applyPlan(plan, deps);
      const written = JSON.parse(await readFile(plan[0]!.location.file, 'utf8'));
      expect(written.mcpServers.pub).toEqual(plan[0]!.entry);
    } finally {
      await t.cleanup();
    }
  });
});

describe('ClaudeDesktopChoice screen', () => {
  it('offers both ways for a public https URL', async () => {
    const chosen: string[] = [];
    const ui = renderTui(<ClaudeDesktopChoice url="https://mcp.example.com/mcp" onChoose={(c) => chosen.push(c)} />);
    await ui.waitForText('Add it as a connector');
    expect(ui.frame()).toContain('Use the local bridge');
    ui.press(KEY.down);
    await ui.waitForText('❯ Use the local bridge');
    ui.press(KEY.enter);
    await expect.poll(() => chosen).toEqual(['bridge']);
    ui.unmount();
  });

  it('offers only the bridge for a loopback URL, and says why', async () => {
    const chosen: string[] = [];
    const ui = renderTui(<ClaudeDesktopChoice url="http://127.0.0.1:3000/mcp" onChoose={(c) => chosen.push(c)} />);
    await ui.waitForText('Connectors won’t work for this URL');
    expect(ui.frame()).not.toContain('Add it as a connector');
    ui.press(KEY.enter);
    await expect.poll(() => chosen).toEqual(['bridge']);
    ui.unmount();
  });

  it('ConnectorsGuide shows the clicks and how to quit', async () => {
    const done: string[] = [];
    const ui = renderTui(<ConnectorsGuide url="https://mcp.example.com/mcp" platform="darwin" onDone={(d) => done.push(d)} />);
    await ui.waitForText('Add custom connector');
    expect(ui.frame()).toContain('Paste the URL: https://mcp.example.com/mcp');
    expect(ui.frame()).toContain('⌘Q');
    ui.press(KEY.enter);
    await expect.poll(() => done).toEqual(['done']);
    ui.unmount();
  });
});
