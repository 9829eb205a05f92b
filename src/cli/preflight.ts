import { ValidationError } from '../errors.js';
import type { CliDeps } from './deps.js';
import { fsReason } from './fs-reason.js';

/**
 * Proves, before any host is changed, that a file the run must write can be written: an audit log that
 * fails after the logoffs (or a drain report lost after an hour's drain) is a record lost for good. The audit
 * log is created (it is append-only anyway); for the report, its folder must be writable (and the file, if it
 * exists). A failure is invalid input: exit 2, nothing ran.
 *
 * @example
 * await assertWritable(deps, '--audit-log', 'audit.jsonl', 'append');
 */
export async function assertWritable(deps: CliDeps, option: string, file: string, mode: 'append' | 'replace'): Promise<void> {
  try {
    if (deps.checkWritable) return await deps.checkWritable(file, mode);
    const fs = await import('node:fs/promises');
    if (mode === 'append') {
      await fs.appendFile(file, '');
      return;
    }
    const { dirname } = await import('node:path');
    const exists = await fs.stat(file).then((s) => s, () => null);
    if (exists?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    await fs.access(exists ? file : dirname(file), fs.constants.W_OK);
  } catch (error) {
    throw new ValidationError(option, file, `cannot write ${option} ${JSON.stringify(file)}: ${fsReason(error)}; nothing was done`);
  }
}
