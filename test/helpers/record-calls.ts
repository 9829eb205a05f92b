import sinon from 'sinon';
import type { FakeTransport } from './fake-transport.js';

/** One message or logoff a fake transport received, in virtual ms since the test's start. */
export interface RecordedCall {
  what: 'message' | 'logoff';
  id: number;
  start: number;
  end: number;
  text: string;
}

/**
 * Records when each message and logoff started and ended (virtual ms since `t0`); a message takes
 * `messageMs` (a busy host), and `onMessage` sees each one as it starts.
 * @example const calls = recordCalls(transport, { t0: T0, messageMs: 20_000 });
 */
export function recordCalls(
  transport: FakeTransport,
  options: { t0: number; messageMs?: number; onMessage?: (id: number) => void },
): RecordedCall[] {
  const { t0, messageMs = 0, onMessage } = options;
  const calls: RecordedCall[] = [];
  const message = transport.message.bind(transport);
  const logoff = transport.logoff.bind(transport);
  sinon.stub(transport, 'message').callsFake(async (host, id, text, opts) => {
    onMessage?.(id);
    const start = Date.now() - t0;
    if (messageMs > 0) await new Promise((resolve) => setTimeout(resolve, messageMs));
    const result = await message(host, id, text, opts);
    calls.push({ what: 'message', id, start, end: Date.now() - t0, text });
    return result;
  });
  sinon.stub(transport, 'logoff').callsFake(async (host, id, opts) => {
    const start = Date.now() - t0;
    const result = await logoff(host, id, opts);
    calls.push({ what: 'logoff', id, start, end: Date.now() - t0, text: '' });
    return result;
  });
  return calls;
}
