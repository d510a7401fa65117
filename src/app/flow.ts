import type { ClientId, Scope } from '../services/clients/types.js';
import type { VerifyResult } from '../services/mcp/verify.js';
import type { AppliedChange } from '../services/setup.js';

/**
 * The wizard as a pure reducer over a discriminated union: exactly one current step, a history
 * for Esc, and the answers so far. Flags pre-answer steps (they are skipped but stay in history,
 * so Esc can still revisit them).
 */

export interface Answers {
  clients?: ClientId[];
  scope?: Scope;
  url?: string;
  name?: string;
  headers?: Record<string, string>;
  /** mcp-setup signed in during this run (the app still signs in itself). */
  signedIn?: boolean;
  /** Stdio-only apps (Claude Desktop) get the local bridge entry. */
  via?: 'bridge';
  /** Claude Desktop goes through Settings → Connectors instead of its file. */
  connectors?: boolean;
  /** The tools the apps may use (undefined: all). */
  enabledTools?: string[];
}

export type Verification = { status: 'ok'; result: VerifyResult } | { status: 'needs-auth' } | { status: 'skipped' };

export type Step =
  | { step: 'client' }
  | { step: 'scope' }
  | { step: 'url' }
  | { step: 'verify' }
  | { step: 'auth' }
  | { step: 'header' }
  | { step: 'tools'; verification: Verification & { status: 'ok' } }
  | { step: 'name'; verification: Verification }
  | { step: 'desktop'; verification: Verification }
  | { step: 'connectors'; verification: Verification }
  | { step: 'review'; verification: Verification }
  | { step: 'done'; verification: Verification; applied: AppliedChange[] }
  | { step: 'manage' }
  | { step: 'doctor'; target: { url: string; name?: string } };

export interface FlowState {
  answers: Answers;
  current: Step;
  history: Step[];
  /** Set when the user chose a scope on screen, so Esc from url returns to it. */
  scopeAsked: boolean;
  /** The URL came from a flag: once the apps are chosen, go straight to the live check. */
  urlPreAnswered: boolean;
}

export type FlowAction =
  | { type: 'chose-clients'; clients: ClientId[]; askScope: boolean }
  | { type: 'chose-scope'; scope: Scope }
  | { type: 'entered-url'; url: string }
  | { type: 'verified'; verification: Verification; askTools?: boolean }
  | { type: 'chose-tools'; enabledTools: string[] | undefined }
  | { type: 'named'; name: string }
  | { type: 'written'; applied: AppliedChange[] }
  | { type: 'desktop-path'; path: 'bridge' | 'connectors' }
  | { type: 'connectors-done'; next: 'done' | 'bridge' }
  | { type: 'manage' }
  | { type: 'doctor'; target: { url: string; name?: string } }
  | { type: 'copy'; url: string; name: string; headers?: Record<string, string> }
  | { type: 'add-header' }
  | { type: 'header-added'; name: string; value: string }
  | { type: 'sign-in' }
  | { type: 'signed-in' }
  | { type: 'edit-url' }
  | { type: 'back' };

export function initialFlow(pre: Answers, options: { askScope: boolean }): FlowState {
  let state: FlowState = { answers: { ...pre }, current: { step: 'client' }, history: [], scopeAsked: false, urlPreAnswered: Boolean(pre.url) };
  if (pre.clients?.length) {
    state = advance(state, options.askScope && !pre.scope ? { step: 'scope' } : { step: 'url' });
  }
  if (pre.clients?.length && pre.url && state.current.step === 'url') state = advance(state, { step: 'verify' });
  return state;
}

function advance(state: FlowState, next: Step): FlowState {
  const moved = { ...state, history: [...state.history, state.current], current: next };
  // A flag already answered the URL: show it only when the user goes back to it.
  if (next.step === 'url' && state.urlPreAnswered && state.answers.url) {
    return { ...moved, history: [...moved.history, next], current: { step: 'verify' } };
  }
  return moved;
}

export function flowReducer(state: FlowState, action: FlowAction): FlowState {
  const { current } = state;
  switch (action.type) {
    case 'chose-clients': {
      if (current.step !== 'client') return state;
      const answers = { ...state.answers, clients: action.clients };
      return advance({ ...state, answers, scopeAsked: action.askScope }, action.askScope ? { step: 'scope' } : { step: 'url' });
    }
    case 'chose-scope':
      if (current.step !== 'scope') return state;
      return advance({ ...state, answers: { ...state.answers, scope: action.scope } }, { step: 'url' });
    case 'entered-url':
      if (current.step !== 'url') return state;
      return advance({ ...state, answers: { ...state.answers, url: action.url } }, { step: 'verify' });
    case 'verified':
      if (current.step !== 'verify') return state;
      if (action.askTools && action.verification.status === 'ok') return advance(state, { step: 'tools', verification: action.verification });
      return advance(state, { step: 'name', verification: action.verification });
    case 'chose-tools': {
      if (current.step !== 'tools') return state;
      const { enabledTools: _previous, ...rest } = state.answers;
      const answers = action.enabledTools ? { ...rest, enabledTools: action.enabledTools } : rest;
      return advance({ ...state, answers }, { step: 'name', verification: current.verification });
    }
    case 'named': {
      if (current.step !== 'name') return state;
      const answers = { ...state.answers, name: action.name };
      // Claude Desktop's file takes no remote entries: ask which of its two paths to take.
      const desktop = answers.clients?.includes('claude-desktop') && !answers.via && !answers.connectors;
      return advance({ ...state, answers }, { step: desktop ? 'desktop' : 'review', verification: current.verification });
    }
    case 'desktop-path':
      if (current.step !== 'desktop') return state;
      if (action.path === 'bridge') return advance({ ...state, answers: { ...state.answers, via: 'bridge' } }, { step: 'review', verification: current.verification });
      return advance(state, { step: 'connectors', verification: current.verification });
    case 'connectors-done': {
      if (current.step !== 'connectors') return state;
      if (action.next === 'bridge') return advance({ ...state, answers: { ...state.answers, via: 'bridge' } }, { step: 'review', verification: current.verification });
      const clients = (state.answers.clients ?? []).filter((c) => c !== 'claude-desktop');
      const answers = { ...state.answers, clients, connectors: true };
      // Nothing left to write when Claude Desktop was the only app.
      if (clients.length === 0) return advance({ ...state, answers }, { step: 'done', verification: current.verification, applied: [] });
      return advance({ ...state, answers }, { step: 'review', verification: current.verification });
    }
    case 'written':
      if (current.step !== 'review') return state;
      return advance(state, { step: 'done', verification: current.verification, applied: action.applied });
    case 'manage':
      if (current.step !== 'client') return state;
      return advance(state, { step: 'manage' });
    case 'doctor':
      if (current.step !== 'verify' && current.step !== 'manage') return state;
      return advance(state, { step: 'doctor', target: action.target });
    case 'copy':
      // "Add it to another app" from Manage: the add flow with the URL and name already known.
      // Its headers come along (as "${VAR}" references where the app read a variable), so the
      // copy in the other app sends the same key.
      return { answers: { url: action.url, name: action.name, ...(action.headers ? { headers: action.headers } : {}) }, current: { step: 'client' }, history: [], scopeAsked: false, urlPreAnswered: true };
    case 'add-header':
      if (current.step !== 'verify') return state;
      return advance(state, { step: 'header' });
    case 'header-added': {
      if (current.step !== 'header') return state;
      const headers = { ...state.answers.headers, [action.name]: action.value };
      return { ...state, answers: { ...state.answers, headers }, current: { step: 'verify' }, history: state.history.slice(0, -1) };
    }
    case 'sign-in':
      if (current.step !== 'verify') return state;
      return advance(state, { step: 'auth' });
    case 'signed-in': {
      if (current.step !== 'auth') return state;
      // Back to a fresh live check, now with the token; Esc from it still leads to the URL.
      return { ...state, answers: { ...state.answers, signedIn: true }, current: { step: 'verify' }, history: state.history.slice(0, -1) };
    }
    case 'edit-url': {
      const index = state.history.findIndex((s) => s.step === 'url');
      if (index === -1) return { ...state, urlPreAnswered: false, history: [...state.history, current], current: { step: 'url' } };
      return { ...state, urlPreAnswered: false, current: { step: 'url' }, history: state.history.slice(0, index) };
    }
    case 'back': {
      if (current.step === 'done') return state;
      // Re-entering verify would reconnect; going back from name lands on the URL instead.
      const history = [...state.history];
      let previous = history.pop();
      while (previous && previous.step === 'verify') previous = history.pop();
      if (!previous) return state;
      return { ...state, current: previous, history };
    }
  }
}
