import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/services/mcp/classify.js';
import { sanitizeForDisplay } from '../../../src/services/auth/safety.js';

describe('redact', () => {
  it('hides every credential-shaped value, in logs and in what an authorization server says', () => {
    const text = 'Bearer abc.def access_token=t1 code_verifier=v2 device_code: d3 password=p4 client_secret="s5" api-key: k6';
    const out = redact(text);
    for (const secret of ['abc.def', 't1', 'v2', 'd3', 'p4', 's5', 'k6']) expect(out).not.toContain(secret);
    expect(redact('the access token expired')).toBe('the access token expired');
    expect(sanitizeForDisplay('invalid state=xyz token=qrs')).toBe('invalid state=[redacted] token=[redacted]');
  });
});
