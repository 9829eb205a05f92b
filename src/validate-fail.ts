import { ValidationError } from './errors.js';

// Shared by the validate*.ts modules: one message shape for every rejected value.

export function show(value: unknown): string {
  return JSON.stringify(String(value));
}

/** Throws the ValidationError for `argument`: the value JSON-quoted (or redacted) and what is allowed. */
export function fail(argument: string, value: unknown, allowed: string, redact = false): never {
  const shown = redact ? '' : ` ${show(value)}`;
  throw new ValidationError(argument, String(value), `invalid ${argument}${shown}: ${allowed}`, { redact });
}
