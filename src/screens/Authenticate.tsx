import { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import { useServices } from '../app/services-context.js';
import type { AuthUrlInfo, DeviceCodeInfo, LoginResult, LoginSession } from '../services/auth/types.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { KeyHints } from '../ui/KeyHints.js';
import { LineInput } from '../ui/LineInput.js';
import { Spinner } from '../ui/Spinner.js';

type View =
  | { phase: 'starting' }
  | { phase: 'browser'; url: string; info: AuthUrlInfo }
  | { phase: 'device'; device: DeviceCodeInfo }
  | { phase: 'failed'; error: unknown };

/**
 * Sign in through the browser (or a device code, or a pasted redirect over SSH). The URL is
 * always on screen: `open` reports success even when no browser starts, so "opened" is a guess.
 * These tokens are mcp-setup's own: they prove the sign-in and the tool list work; the app then
 * signs in itself.
 */
export function Authenticate({ url, onSignedIn, onBack }: { url: string; onSignedIn: (result: LoginResult) => void; onBack: () => void }) {
  const services = useServices();
  const [view, setView] = useState<View>({ phase: 'starting' });
  const [status, setStatus] = useState('Finding the server’s sign-in…');
  const [pasteNote, setPasteNote] = useState<string | null>(null);
  const [reopened, setReopened] = useState(false);
  const latestPaste = useRef('');
  const session = useRef<LoginSession | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [copied, setCopied] = useState(false);
  const { stdout } = useStdout();

  useEffect(() => {
    const controller = new AbortController();
    setView({ phase: 'starting' });
    const started = services.signIn(url, controller.signal, {
      onAuthUrl: (authUrl, info) => !controller.signal.aborted && setView({ phase: 'browser', url: authUrl, info }),
      onDeviceCode: (device) => !controller.signal.aborted && setView({ phase: 'device', device }),
      onStatus: (text) => !controller.signal.aborted && setStatus(text),
    });
    session.current = started;
    started.result.then(
      (result) => !controller.signal.aborted && onSignedIn(result),
      (error: unknown) => !controller.signal.aborted && setView({ phase: 'failed', error }),
    );
    // Leaving the screen closes the loopback listener and stops any device polling.
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, attempt]);

  useInput((input, key) => {
    if (view.phase === 'failed') {
      if (key.return) setAttempt((a) => a + 1);
      return;
    }
    if (view.phase === 'browser' && key.return && latestPaste.current.trim() === '' && !view.info.headless) {
      void services.openBrowser(view.url).then(() => setReopened(true));
    }
    // Ink hard-wraps the long link, which breaks copying it with the mouse; OSC 52 puts it on the
    // clipboard directly (most terminals, also over SSH). Only while the paste field is empty.
    if (view.phase === 'browser' && key.ctrl && input === 'y') {
      stdout.write(`\u001B]52;c;${Buffer.from(view.url).toString('base64')}\u0007`);
      setCopied(true);
    }
  });

  if (view.phase === 'failed') {
    return (
      <Box flexDirection="column">
        <ErrorBox error={view.error} />
        <KeyHints hints={['Enter try again', 'Esc back', 'Ctrl+C quit']} />
      </Box>
    );
  }
  if (view.phase === 'starting') return <Spinner label={status} />;
  if (view.phase === 'device') {
    const { device } = view;
    return (
      <Box flexDirection="column">
        <Text>
          First copy your one-time code: <Text bold color="cyan">{device.userCode}</Text>
        </Text>
        <Text>Then open this page on any device and enter it:</Text>
        <Text color="cyan">  {device.verificationUriComplete ?? device.verificationUri}</Text>
        <Box marginTop={1}>
          <Spinner label="Waiting for you to approve…" />
        </Box>
        <KeyHints hints={['Esc back', 'Ctrl+C quit']} />
      </Box>
    );
  }
  const { info } = view;
  return (
    <Box flexDirection="column">
      {info.headless ? (
        <Text>No browser here, so open this link on any machine:</Text>
      ) : info.browserOpened || reopened ? (
        <Text>We opened your browser. If nothing happened, press Enter to try again, or open this link yourself:</Text>
      ) : (
        <Text>Couldn’t open a browser. Open this link yourself:</Text>
      )}
      <Text color="cyan" wrap="wrap">
        {'  '}
        {view.url}
      </Text>
      {info.sshTunnel ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>For your own browser to reach this machine, run this on your computer first:</Text>
          <Text color="cyan">  {info.sshTunnel}</Text>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text dimColor>Or paste the address your browser ends on (it starts with {info.redirectUri.split('?')[0]}):</Text>
        <LineInput
          clearOnSubmit
          onChange={(next) => {
            latestPaste.current = next;
            setPasteNote(null);
          }}
          onSubmit={(submitted) => {
            const text = submitted.trim();
            // This screen's own Enter handler runs after this one for the same key: it must still
            // see the paste (and not reopen the browser), so forget it only afterwards.
            queueMicrotask(() => (latestPaste.current = ''));
            if (!text || !session.current) return;
            void session.current.submitPaste(text).then((outcome) => {
              if (!outcome.ok) setPasteNote(outcome.message);
              else if (outcome.warning) setPasteNote(outcome.warning);
            });
          }}
        />
        {pasteNote ? <Text color="yellow">! {pasteNote}</Text> : null}
      </Box>
      <Box marginTop={1}>
        <Spinner label={status === 'Finding the server’s sign-in…' ? 'Waiting for you to approve in the browser…' : status} />
      </Box>
      {copied ? <Text color="green">Copied the link to your clipboard (if your terminal allows it).</Text> : null}
      <KeyHints hints={[info.headless ? 'Enter submit a pasted address' : 'Enter open the browser again', 'Ctrl+Y copy the link', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
