import { describe, expect, it } from 'vitest';
import { normalizeServerUrl, suggestServerName, validateServerName } from '../../src/services/url.js';

describe('normalizeServerUrl', () => {
  it.each([
    ['  https://api.example.com/mcp/  ', 'https://api.example.com/mcp'],
    ['"https://api.example.com/mcp"', 'https://api.example.com/mcp'],
    ['<https://api.example.com/mcp///>', 'https://api.example.com/mcp'],
    ['https://api.example.com/', 'https://api.example.com'],
    ['api.example.com/mcp', 'https://api.example.com/mcp'],
    ['localhost:3000/mcp', 'http://localhost:3000/mcp'],
    ['http://127.0.0.1:3001/mcp', 'http://127.0.0.1:3001/mcp'],
    ['http://[::1]:8080/mcp', 'http://[::1]:8080/mcp'],
    ['https://mcp.portkey.ai/ws1/linear/mcp?x=1#frag', 'https://mcp.portkey.ai/ws1/linear/mcp?x=1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeServerUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ['', 'Enter the server URL'],
    ['http://api.example.com/mcp', 'only allowed for servers on this machine'],
    ['ftp://example.com/mcp', 'not MCP servers'],
    ['javascript:alert(1)', 'not MCP servers'],
    ['file:///etc/passwd', 'not MCP servers'],
    ['https://user:pass@example.com/mcp', 'user name or password'],
    ['https://exa mple.com/mcp', 'spaces or control characters'],
    ['https://example.com/\u0000', 'spaces or control characters'],
    ['https://' + 'a'.repeat(3000) + '.com', 'longer than'],
    ['https://', "doesn't look like a URL"],
  ])('rejects %j', (input, message) => {
    const result = normalizeServerUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('tells how to fix plain http', () => {
    const result = normalizeServerUrl('http://api.example.com/mcp');
    expect(!result.ok && result.hint).toBe('Use https://api.example.com/mcp');
  });
});

describe('suggestServerName', () => {
  it.each([
    ['https://mcp.portkey.ai/ws-123/linear/mcp', undefined, 'linear'],
    ['https://api.example.com/mcp', undefined, 'example'],
    ['https://mcp.linear.app/sse', undefined, 'linear'],
    ['https://api.githubcopilot.com/mcp/', undefined, 'githubcopilot'],
    ['http://127.0.0.1:3001/mcp', 'mcp-servers/everything', 'everything'],
    ['http://127.0.0.1:3001/mcp', undefined, 'local-3001'],
    ['https://gw.example.com/v1/My%20Server/mcp', undefined, 'my-server'],
    ['https://example.com/' + 'x'.repeat(60), undefined, 'x'.repeat(32)],
  ])('%s (%s) → %s', (url, serverName, expected) => {
    const name = suggestServerName(url, serverName);
    expect(name).toBe(expected);
    expect(validateServerName(name).ok).toBe(true);
  });
});

describe('validateServerName', () => {
  it('accepts what every client accepts and explains the rest', () => {
    expect(validateServerName('my_server-2').ok).toBe(true);
    expect(validateServerName('').ok).toBe(false);
    expect(validateServerName('a'.repeat(33))).toMatchObject({ ok: false, message: expect.stringContaining('32') });
    expect(validateServerName('has space')).toMatchObject({ ok: false, message: expect.stringContaining('letters, digits') });
    expect(validateServerName('-lead').ok).toBe(false);
    expect(validateServerName('ünï').ok).toBe(false);
  });
});
