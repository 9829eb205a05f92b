import iconv from 'iconv-lite';
import type { OutputEncoding } from '../types.js';

/**
 * Turns captured quser / qwinsta output into text. Strings pass through (minus a BOM). Bytes are UTF-8
 * unless `encoding` names the console code page they were printed in: quser writes in the OEM code page
 * (437, 850, 866, 932 …), not UTF-8. A UTF-16LE BOM is recognised whatever `encoding` says, because
 * PowerShell 5 redirection (`quser > file`) writes UTF-16LE with a BOM.
 * @example decodeOutput(Buffer.from([0x81]), 'cp850') // 'ü'
 */
export function decodeOutput(input: string | Uint8Array, encoding: OutputEncoding = 'utf8'): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf16le');
  if (encoding === 'utf16le' || looksLikeBomlessUtf16(bytes, encoding)) {
    return stripBom(iconv.decode(bytes, 'utf16le'));
  }
  if (encoding === 'utf8' || encoding === 'utf-8') {
    const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return bytes.toString('utf8', start);
  }
  return stripBom(iconv.decode(bytes, encoding));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// quser text never holds NUL bytes, so NULs in every odd position of an ASCII-led table mean UTF-16LE
// that lost its BOM (e.g. cut out of a larger capture). Only applied when the caller named no code page.
function looksLikeBomlessUtf16(bytes: Buffer, encoding: OutputEncoding): boolean {
  if ((encoding !== 'utf8' && encoding !== 'utf-8') || bytes.length < 8 || bytes.length % 2 !== 0) return false;
  for (let i = 1; i < 8; i += 2) if (bytes[i] !== 0 || bytes[i - 1] === 0) return false;
  return true;
}
