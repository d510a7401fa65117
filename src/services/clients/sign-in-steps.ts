import type { ClientId } from './types.js';

/**
 * How each app finishes its *own* sign-in. Apps with native remote support run OAuth with their
 * own client id and keep their own tokens, so ours can't be handed over: the wizard's sign-in is
 * a pre-flight, and this is the step that makes the app itself signed in.
 */
export interface ClientSignInStep {
  /** A command the user can run (argv form, so it can be run without a shell). */
  command?: string[];
  /** What to do inside the app when there is no command. */
  inApp: string;
}

export function clientSignInStep(client: ClientId, name: string): ClientSignInStep {
  switch (client) {
    case 'claude-code':
      return { command: ['claude', 'mcp', 'login', name], inApp: `In Claude Code, run /mcp, pick "${name}" and choose Authenticate.` };
    case 'codex':
      return { command: ['codex', 'mcp', 'login', name], inApp: `Run "codex mcp login ${name}".` };
    case 'opencode':
      return { command: ['opencode', 'mcp', 'auth', name], inApp: `Run "opencode mcp auth ${name}".` };
    case 'gemini-cli':
      return { inApp: `In Gemini CLI, run /mcp auth ${name}.` };
    case 'cursor':
      return { inApp: `In Cursor Settings → MCP, click "Needs login" next to "${name}".` };
    case 'vscode':
    case 'vscode-insiders':
      return { inApp: `In VS Code, run "MCP: List Servers", pick "${name}", choose Start and accept the sign-in prompt.` };
    case 'windsurf':
      return { inApp: `In Windsurf's MCP panel, open "${name}" and sign in when asked.` };
    case 'zed':
      return { inApp: `Zed asks you to sign in the first time the agent uses "${name}".` };
    case 'claude-desktop':
      return { inApp: 'Claude Desktop signs in through Settings → Connectors, or uses mcp-setup\'s own sign-in through the local bridge.' };
    default:
      return { inApp: `The app asks you to sign in the first time it connects to "${name}".` };
  }
}

/** The app's own sign-in command as one line to show, where it has one. */
export function signInCommand(client: ClientId, name: string): string | undefined {
  return clientSignInStep(client, name).command?.join(' ');
}

