import { ValidationError } from '../errors.js';
import type { CliDeps } from './deps.js';

/**
 * Mass changes (a filter or `--all` selection of logoff, every drain, every logons change) are confirmed:
 * a terminal is asked, anything else must pass `--yes`. `--dry-run` changes nothing and never asks.
 * Returns false when the operator said no.
 */
export async function confirmChange(deps: CliDeps, question: string, flags: { yes: boolean; dryRun: boolean }): Promise<boolean> {
  if (flags.dryRun || flags.yes) return true;
  if (!deps.isTTY.stdin || !deps.isTTY.stderr) {
    throw new ValidationError('--yes', '', `${question.replace(/\?$/, '')}: not on a terminal, so pass --yes to confirm (or --dry-run to see the plan)`);
  }
  return deps.confirm(`${question} [y/N] `);
}

/** The real prompt, for `src/cli.ts`: reads one line from the terminal on stderr. */
export async function promptYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
