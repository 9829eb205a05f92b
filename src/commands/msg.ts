import type { CommandSpec } from '../types.js';
import { ValidationError } from '../errors.js';
import { assertMessageText } from '../validate.js';
import { assertTargetId } from './logoff.js';
import { serverArgs } from './server-arg.js';
import { resolveSystemProgram, type SystemContext, defaultSystemContext } from './system-path.js';

export interface MsgOptions {
  id: number;
  server?: string | null;
  /** msg's /time: how long the message box stays up. */
  seconds?: number;
  text: string;
}

/** A day; msg accepts larger values, but a longer pop-up is never what an operator meant. */
export const MAX_MSG_SECONDS = 86_400;

/**
 * `msg <id> [/server:<host>] [/time:<s>]` with the text on stdin: msg reads the message from stdin when none
 * is given on the command line, so no part of the text can ever be parsed as a switch or a target.
 * @example buildMsg({ id: 3, text: 'Restart at 18:00' }).input // 'Restart at 18:00'
 */
export function buildMsg(options: MsgOptions, context: SystemContext = defaultSystemContext()): CommandSpec {
  const id = assertTargetId(options.id);
  const text = assertMessageText(options.text);
  const args = [String(id), ...serverArgs(options.server)];
  if (options.seconds !== undefined) {
    const s = options.seconds;
    if (!Number.isSafeInteger(s) || s < 1 || s > MAX_MSG_SECONDS) {
      throw new ValidationError('seconds', String(s), `invalid seconds ${JSON.stringify(String(s))}: expected an integer from 1 to ${MAX_MSG_SECONDS}`);
    }
    args.push(`/time:${s}`);
  }
  return { file: resolveSystemProgram('msg', context), args, input: text };
}
