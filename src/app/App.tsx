import { useCallback, useMemo, useReducer, useRef } from 'react';
import { Box, useApp, useInput } from 'ink';
import { getAdapter } from '../services/clients/registry.js';
import { headerLines } from '../services/clients/entry-headers.js';
import { CancelledError } from '../services/errors.js';
import { suggestServerName } from '../services/url.js';
import type { AddRequest, AppliedChange } from '../services/setup.js';
import { AddHeader } from '../screens/AddHeader.js';
import { Authenticate } from '../screens/Authenticate.js';
import { ChooseClient } from '../screens/ChooseClient.js';
import { Doctor } from '../screens/Doctor.js';
import { Manage } from '../screens/Manage.js';
import { ChooseTools } from '../screens/ChooseTools.js';
import { ClaudeDesktopChoice, ConnectorsGuide } from '../screens/ClaudeDesktopChoice.js';
import { ChooseScope } from '../screens/ChooseScope.js';
import { Done } from '../screens/Done.js';
import { EnterUrl } from '../screens/EnterUrl.js';
import { NameServer } from '../screens/NameServer.js';
import { Review } from '../screens/Review.js';
import { Verify } from '../screens/Verify.js';
import { StepHeader } from '../ui/StepHeader.js';
import { flowReducer, initialFlow, type Answers, type Verification } from './flow.js';
import { useServices } from './services-context.js';

export interface WizardResult {
  answers: Required<Pick<Answers, 'clients' | 'url' | 'name'>> & Answers;
  verification: Verification;
  applied: AppliedChange[];
}

const TITLES = {
  client: ['Apps', 'Which apps should use this server?'],
  scope: ['Where', 'Who should get this server?'],
  url: ['Server URL', "What's the server's URL?"],
  verify: ['Check', 'Does the server answer?'],
  auth: ['Sign in', 'Sign in to the server'],
  header: ['API key', 'Which header does the server expect?'],
  manage: ['Your servers', 'Which server?'],
  doctor: ['Doctor', 'Why doesn’t it work?'],
  tools: ['Tools', 'Which tools may the apps use?'],
  name: ['Name', 'What should the server be called?'],
  desktop: ['Claude Desktop', 'How should Claude Desktop reach this server?'],
  connectors: ['Claude Desktop', 'Add it as a connector'],
  review: ['Review', 'Write this to your config?'],
} as const;

/**
 * Routes on the flow state and owns the global keys: Ctrl+C cancels from anywhere (except
 * mid-write, which takes milliseconds and must not be cut in half), Esc goes back a step.
 * The one exit call site: `exit(result)` or `exit(CancelledError)`.
 */
export function App({ preAnswers }: { preAnswers: Answers }) {
  const services = useServices();
  const { exit } = useApp();
  const askScopeFor = (clients: Answers['clients']) => (clients ?? []).some((id) => getAdapter(id).scopes.length > 1);
  const [state, dispatch] = useReducer(flowReducer, preAnswers, (pre) => initialFlow(pre, { askScope: askScopeFor(pre.clients) }));
  const busy = useRef(false);
  const finished = useRef(false);

  const cancel = useCallback(() => {
    if (finished.current) return;
    finished.current = true;
    exit(new CancelledError());
  }, [exit]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (!busy.current) cancel();
      return;
    }
    // Manage has views of its own: it takes Esc itself and leaves when at its top.
    if (key.escape && !busy.current && state.current.step !== 'manage') dispatch({ type: 'back' });
    else if (input === 'm' && state.current.step === 'client') dispatch({ type: 'manage' });
  });

  const { answers, current } = state;
  const steps = ['client', ...(state.scopeAsked || (answers.clients && askScopeFor(answers.clients) && !preAnswers.scope) ? ['scope'] : []), 'url', 'verify', ...(current.step === 'auth' || answers.signedIn ? ['auth'] : current.step === 'header' ? ['header'] : []), ...(current.step === 'tools' || state.history.some((h) => h.step === 'tools') ? ['tools'] : []), 'name', ...(answers.clients?.includes('claude-desktop') || answers.connectors ? ['desktop'] : []), 'review'];
  const request: AddRequest | null = useMemo(
    () =>
      answers.clients && answers.url && answers.name
        ? {
            clients: answers.clients,
            url: answers.url,
            name: answers.name,
            ...(answers.scope ? { scope: answers.scope } : {}),
            ...(answers.headers ? { headers: answers.headers } : {}),
            ...(answers.via ? { via: answers.via } : {}),
            ...(answers.enabledTools ? { enabledTools: answers.enabledTools } : {}),
            ...(current.step === 'review' && current.verification.status === 'ok' && current.verification.result.transport === 'sse' ? { transport: 'sse' as const } : {}),
          }
        : null,
    [answers, current],
  );

  const onShown = useCallback(() => {
    if (current.step !== 'done' || finished.current) return;
    finished.current = true;
    exit({ answers: answers as WizardResult['answers'], verification: current.verification, applied: current.applied } satisfies WizardResult);
  }, [current, answers, exit]);

  const header =
    current.step === 'done' ? null : current.step === 'manage' || current.step === 'doctor' ? (
      <StepHeader title={TITLES[current.step][0]} question={TITLES[current.step][1]} />
    ) : (
      <StepHeader index={steps.indexOf(current.step === 'connectors' ? 'desktop' : current.step) + 1} total={steps.length} title={TITLES[current.step][0]} question={TITLES[current.step][1]} />
    );

  let screen: React.ReactNode = null;
  switch (current.step) {
    case 'client':
      screen = (
        <ChooseClient
          {...(answers.clients ? { initial: answers.clients } : {})}
          onChoose={(clients) => dispatch({ type: 'chose-clients', clients, askScope: askScopeFor(clients) && !preAnswers.scope })}
        />
      );
      break;
    case 'scope':
      screen = <ChooseScope adapters={(answers.clients ?? []).map(getAdapter)} cwd={services.system.cwd} onChoose={(scope) => dispatch({ type: 'chose-scope', scope })} />;
      break;
    case 'url':
      screen = <EnterUrl initial={answers.url ?? ''} onSubmit={(url) => dispatch({ type: 'entered-url', url })} />;
      break;
    case 'verify':
      screen = (
        <Verify
          url={answers.url!}
          headers={answers.headers}
          onVerified={(verification) =>
            dispatch({
              type: 'verified',
              verification,
              // Only worth asking when a chosen app can filter and there is a choice to make.
              askTools: verification.status === 'ok' && verification.result.tools.length > 1 && !preAnswers.enabledTools && (answers.clients ?? []).some((id) => getAdapter(id).toolFilter),
            })
          }
          onEditUrl={() => dispatch({ type: 'edit-url' })}
          onSignIn={() => dispatch({ type: 'sign-in' })}
          onAddHeader={() => dispatch({ type: 'add-header' })}
          onDoctor={() => dispatch({ type: 'doctor', target: { url: answers.url! } })}
          onQuit={cancel}
        />
      );
      break;
    case 'header':
      screen = <AddHeader onSubmit={(name, value) => dispatch({ type: 'header-added', name, value })} />;
      break;
    case 'auth':
      screen = <Authenticate url={answers.url!} onSignedIn={() => dispatch({ type: 'signed-in' })} onBack={() => dispatch({ type: 'back' })} />;
      break;
    case 'tools':
      screen = (
        <ChooseTools
          tools={current.verification.result.tools}
          adapters={(answers.clients ?? []).map(getAdapter)}
          {...(answers.enabledTools ? { initial: answers.enabledTools } : {})}
          onSubmit={(enabledTools) => dispatch({ type: 'chose-tools', enabledTools })}
        />
      );
      break;
    case 'name': {
      const serverName = current.verification.status === 'ok' ? current.verification.result.server.name : undefined;
      screen = <NameServer suggestion={answers.name ?? suggestServerName(answers.url!, serverName)} onSubmit={(name) => dispatch({ type: 'named', name })} />;
      break;
    }
    case 'desktop':
      screen = <ClaudeDesktopChoice url={answers.url!} onChoose={(path) => dispatch({ type: 'desktop-path', path })} />;
      break;
    case 'connectors':
      screen = (
        <ConnectorsGuide url={answers.url!} platform={services.system.platform} wsl={services.system.isWsl} onDone={(next) => dispatch({ type: 'connectors-done', next })} />
      );
      break;
    case 'review':
      screen = request && (
        <Review
          request={request}
          onWritten={(applied) => dispatch({ type: 'written', applied })}
          onBack={() => dispatch({ type: 'back' })}
          onQuit={cancel}
          onBusy={(b) => (busy.current = b)}
        />
      );
      break;
    case 'manage':
      screen = (
        <Manage
          onDoctor={(server) => dispatch({ type: 'doctor', target: { url: server.url!, name: server.name } })}
          onCopy={(server) => dispatch({ type: 'copy', url: server.url!, name: server.name, ...(server.headers ? { headers: headerLines(server.headers)! } : {}) })}
          onExit={() => dispatch({ type: 'back' })}
        />
      );
      break;
    case 'doctor':
      screen = (
        <Doctor
          target={current.target}
          {...(state.history.at(-1)?.step === 'verify' ? { onEditUrl: () => dispatch({ type: 'edit-url' }) } : {})}
          onExit={() => dispatch({ type: 'back' })}
        />
      );
      break;
    case 'done':
      screen = (
        <Done
          applied={current.applied}
          url={answers.url!}
          needsSignIn={current.verification.status === 'needs-auth' || Boolean(answers.signedIn)}
          connectorsUrl={answers.connectors ? answers.url : undefined}
          onShown={onShown}
        />
      );
      break;
  }
  return (
    <Box flexDirection="column">
      {header}
      {screen}
    </Box>
  );
}
