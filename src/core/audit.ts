import { appendFile } from 'node:fs/promises';
import type { AuditEvent } from './types.js';

export interface AuditLogWriter {
  /** Pass as `onEvent`; appends one JSON line per event, in order. Never throws (see `flush`). */
  readonly write: (event: AuditEvent) => void;
  /** Resolves when every event so far is on disk; rejects with the first write error, if any. */
  flush(): Promise<void>;
}

/**
 * An `onEvent` sink that appends each audit event to `file` as one JSON line (JSON Lines), writes
 * serialised so lines never interleave. Nothing is opened until the first event.
 * @example
 * const audit = createAuditLogWriter('/var/log/session-logoff.jsonl');
 * await drain({ servers, transport, onEvent: audit.write });
 * await audit.flush();
 */
export function createAuditLogWriter(file: string): AuditLogWriter {
  let chain: Promise<void> = Promise.resolve();
  let firstError: unknown;
  const write = (event: AuditEvent): void => {
    const line = `${JSON.stringify(event)}\n`;
    chain = chain.then(() =>
      appendFile(file, line, 'utf8').catch((error: unknown) => {
        firstError ??= error;
      }),
    );
  };
  return {
    write,
    async flush() {
      await chain;
      if (firstError !== undefined) throw firstError;
    },
  };
}
