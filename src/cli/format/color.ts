/** ANSI styles, applied only when the CLI decided colour is wanted (wantsColor). */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

export type Paint = (style: Style | null, text: string) => string;

/**
 * Whether to colour, in this order: `--color` / `--no-color` on the command line (`flag`); FORCE_COLOR as
 * chalk's supports-color reads it (`0`/`false` off, anything else on, empty included); NO_COLOR set to
 * anything non-empty (https://no-color.org) off; `TERM=dumb` off; else on a terminal only. FORCE_COLOR wins
 * over NO_COLOR as in Node's own tty.getColorDepth(); a flag wins over both, as no-color.org asks.
 * @example wantsColor(false, { FORCE_COLOR: '1' }) // true
 */
export function wantsColor(isTTY: boolean, env: Record<string, string | undefined>, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return isTTY;
}

export function createPaint(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    if (!style || text === '') return text;
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}
