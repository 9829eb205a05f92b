import { ValidationError } from '../errors.js';
import type { CliDeps } from './deps.js';

/**
 * Whether a mass change (a filter or `--all` selection of logoff, one id on several hosts, every drain,
 * every logons change) is to be confirmed at a prompt: never with `--dry-run` (it changes nothing) or
 * `--yes`. Off a terminal nobody can answer, so without `--yes` it is invalid input (exit 2) before any
 * host is touched. The commands then show their plan first and ask after it (ask-first.ts).
 */
export function mustAsk(deps: CliDeps, question: string, flags: { yes: boolean; dryRun: boolean }): boolean {
  if (flags.dryRun || flags.yes) return false;
  if (!deps.isTTY.stdin || !deps.isTTY.stderr) {
    throw new ValidationError('--yes', '', `${question.replace(/\?$/, '')}: not on a terminal, so pass --yes to confirm (or --dry-run to see the plan)`);
  }
  return true;
}

/** Asks at once, without a plan first (rollout, whose hosts are only drained waves later). False when the operator said no. */
export async function confirmChange(deps: CliDeps, question: string, flags: { yes: boolean; dryRun: boolean }): Promise<boolean> {
  if (!mustAsk(deps, question, flags)) return true;
  return deps.confirm(`${question} [y/N] `);
}

/** Ctrl-C (or end of input) at a confirmation prompt: nothing was done, and the run counts as interrupted (130). */
export class PromptInterruptedError extends Error {
  override name = 'PromptInterruptedError';
}

/**
 * The real prompt, for `src/cli.ts`: reads one line from the terminal on stderr. readline takes Ctrl-C
 * itself while it reads (the process' SIGINT handler never sees it) and rejects with AbortError; SIGTERM
 * and SIGHUP reach that handler, which aborts `signal`, and that ends the prompt the same way.
 */
export async function promptYesNo(question: string, signal?: AbortSignal): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  let closed = false;
  rl.once('close', () => (closed = true));
  try {
    const answer = await Promise.race([
      rl.question(question, signal ? { signal } : {}),
      // Ctrl-D: readline closes without an answer and question() never settles.
      new Promise<never>((_resolve, reject) => rl.once('close', () => reject(new PromptInterruptedError('no answer')))),
    ]);
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (error instanceof PromptInterruptedError || (error as { name?: string } | null)?.name === 'AbortError' || closed) {
      throw new PromptInterruptedError('interrupted at the confirmation prompt');
    }
    throw error;
  } finally {
    rl.close();
  }
}
