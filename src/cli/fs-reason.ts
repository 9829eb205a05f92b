const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a parent is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/**
 * A file-system failure in words an operator reads at a glance, with the code kept for searching:
 * `no such file or directory (ENOENT)`.
 *
 * @example
 * fsReason(Object.assign(new Error('x'), { code: 'ENOENT' })) // 'no such file or directory (ENOENT)'
 */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return error instanceof Error ? error.message : String(error);
  const words = REASONS[code];
  return words ? `${words} (${code})` : code;
}
