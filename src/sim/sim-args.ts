/** The switches Windows session tools share, read case-insensitively as the real tools do. */
export interface ToolArgs {
  server: string | null;
  positionals: string[];
  /** Lower-cased switch names without the slash, with their `:value` when given. */
  switches: Map<string, string | null>;
  /** First argument that is a malformed or duplicated switch. */
  invalid: string | null;
}

/**
 * Splits argv into `/server:`, other `/switch[:value]`s and positionals.
 * Unverified: whether the real tools also take `-switch`; the simulator treats a leading `-` as a bad switch
 * so a value that leaks into argv as a switch is visible in tests.
 */
export function parseToolArgs(args: readonly string[]): ToolArgs {
  const out: ToolArgs = { server: null, positionals: [], switches: new Map(), invalid: null };
  for (const arg of args) {
    if (arg.startsWith('/') || arg.startsWith('-')) {
      const m = /^[/-]([A-Za-z?]+)(?::(.*))?$/s.exec(arg);
      const name = m?.[1]?.toLowerCase();
      if (!m || name === undefined || out.switches.has(name) || arg.startsWith('-')) {
        out.invalid ??= arg;
        continue;
      }
      out.switches.set(name, m[2] ?? null);
      if (name === 'server') {
        if (!m[2]) out.invalid ??= arg;
        else out.server = m[2];
      }
    } else {
      out.positionals.push(arg);
    }
  }
  return out;
}
