/**
 * Every error this package throws is a SessionLogoffError with a stable `code` callers can switch on.
 * Context travels as properties, never only inside the message.
 */
export type ErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_COMMAND_FAILED'
  | 'ERR_POWERSHELL'
  | 'ERR_PARSE'
  | 'ERR_UNSUPPORTED_PLATFORM'
  | HostErrorCode;

/** Per-host failure codes; they appear as `errors[].code` in the JSON reports. */
export type HostErrorCode =
  | 'ERR_ACCESS_DENIED'
  | 'ERR_HOST_UNREACHABLE'
  | 'ERR_SECURITY_PACKAGE'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_UNSUPPORTED_OPERATION'
  | 'ERR_UNEXPECTED_OUTPUT'
  | 'ERR_NOT_FOUND'
  | 'ERR_SPAWN';

/**
 * Base class of every error this package throws; switch on `code`.
 * @example
 * try { await logoff({ transport, targets: ['0'] }); }
 * catch (error) { if (isSessionLogoffError(error) && error.code === 'ERR_INVALID_ARGUMENT') console.error(error.message); }
 */
export class SessionLogoffError extends Error {
  override name = 'SessionLogoffError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Bad input. Always thrown before any process starts; `argument` names the option, `value` the rejected
 * value (`<redacted>` for message texts).
 * @example
 * try { assertHost('$(whoami)'); } catch (error) { if (error instanceof ValidationError) console.error(error.argument, error.message); }
 */
export class ValidationError extends SessionLogoffError {
  override name = 'ValidationError';
  readonly argument: string;
  readonly value: string;

  constructor(argument: string, value: string, message: string, options?: { redact?: boolean }) {
    super('ERR_INVALID_ARGUMENT', message);
    this.argument = argument;
    // Message bodies can hold anything the operator typed; keep them out of logs.
    this.value = options?.redact ? '<redacted>' : value;
  }
}

export interface CommandFailure {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * A program that ran and failed, with its outcome attached. Operations report host failures as data
 * (`errors[]`); this class is for callers who want to throw one themselves from a `RunResult`.
 * @example
 * if (result.exitCode !== 0) throw new CommandFailedError('quser failed', result);
 */
export class CommandFailedError extends SessionLogoffError implements CommandFailure {
  override name = 'CommandFailedError';
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;

  constructor(reason: string, failure: CommandFailure, options?: { cause?: unknown }) {
    const firstLines = failure.stderr.trim().split(/\r?\n/).slice(0, 2).join(' / ');
    super('ERR_COMMAND_FAILED', `${reason}: ${failure.command}${firstLines ? `\n${firstLines}` : ''}`, options);
    this.command = failure.command;
    this.exitCode = failure.exitCode;
    this.stdout = failure.stdout;
    this.stderr = failure.stderr;
    this.timedOut = failure.timedOut;
  }
}

/**
 * PowerShell itself failed (not the program it ran): the script, and its stderr without CLIXML.
 * @example
 * if (error instanceof PowerShellError) console.error(error.script, error.stderr);
 */
export class PowerShellError extends SessionLogoffError {
  override name = 'PowerShellError';
  readonly script: string;
  readonly stderr: string;

  constructor(script: string, stderr: string, message: string, options?: { cause?: unknown }) {
    super('ERR_POWERSHELL', message, options);
    this.script = script;
    this.stderr = stderr;
  }
}

/**
 * For callers who want parse problems to throw: the parsers themselves never throw and return issues as data.
 * @example
 * const { issues } = parseQuser(text);
 * const first = issues[0];
 * if (first) throw new ParseError('quser', first.line, text.split('\n')[first.line - 1] ?? '', first.message);
 */
export class ParseError extends SessionLogoffError {
  override name = 'ParseError';
  readonly source: string;
  readonly line: number;
  readonly lineText: string;

  constructor(source: string, line: number, lineText: string, message: string) {
    super('ERR_PARSE', message);
    this.source = source;
    this.line = line;
    this.lineText = lineText;
  }
}

/**
 * The requested operation cannot run on this platform.
 * @example
 * if (process.platform !== 'win32') throw new UnsupportedPlatformError(process.platform, 'change logon runs only on Windows');
 */
export class UnsupportedPlatformError extends SessionLogoffError {
  override name = 'UnsupportedPlatformError';
  readonly platform: string;

  constructor(platform: string, message: string) {
    super('ERR_UNSUPPORTED_PLATFORM', message);
    this.platform = platform;
  }
}

/**
 * A failure confined to one host: reported for that host, never aborting the others.
 * @example
 * throw new HostError('ERR_UNSUPPORTED_OPERATION', 'rds01', 'change logon is local only');
 */
export class HostError extends SessionLogoffError {
  override name = 'HostError';
  readonly host: string;

  constructor(code: HostErrorCode, host: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.host = host;
  }
}

/**
 * True for any error of this package, whatever its class.
 * @example
 * catch (error) { process.exitCode = isSessionLogoffError(error) && error.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1; }
 */
export function isSessionLogoffError(value: unknown): value is SessionLogoffError {
  return value instanceof SessionLogoffError;
}
