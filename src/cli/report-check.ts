import { ValidationError } from '../errors.js';

type Kind = 'list' | 'drain' | 'logons' | 'logoff/message';

function records(report: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = report[key];
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

/** Hosts a report speaks for, case-folded as `--shard` folds them. */
function hostsOf(report: Record<string, unknown>): Set<string> {
  const hosts = new Set<string>();
  for (const key of ['sessions', 'actions', 'hosts', 'errors']) {
    for (const r of records(report, key)) if (typeof r['host'] === 'string') hosts.add(r['host'].toLowerCase());
  }
  return hosts;
}

/** Which command wrote the report, by its shape (the JSON contract has no kind field). */
function kindOf(report: Record<string, unknown>): Kind | null {
  if (Array.isArray(report['sessions'])) return 'list';
  const hosts = records(report, 'hosts');
  if (hosts.some((h) => 'status' in h)) return 'drain';
  if (hosts.some((h) => 'state' in h)) return 'logons';
  if (Array.isArray(report['actions'])) return 'logoff/message';
  return null;
}

/**
 * The merged report must speak for every host once: the same shard merged twice (or two overlapping host
 * lists) would double its actions and hide which run was the real one, and a `list` report merged with a
 * drain report is neither. Both are usage errors naming the files; nothing is printed.
 *
 * @example
 * assertMergeable([['a.json', {sessions: [], errors: []}], ['b.json', {sessions: [], errors: []}]]);
 */
export function assertMergeable(inputs: readonly (readonly [file: string, report: Record<string, unknown>])[]): void {
  const owner = new Map<string, number>();
  let firstKind: { kind: Kind; file: string } | null = null;
  for (const [index, [file, report]] of inputs.entries()) {
    const kind = kindOf(report);
    if (kind && firstKind && kind !== firstKind.kind) {
      throw new ValidationError('files', file, `cannot merge ${JSON.stringify(file)} (${kind}) with ${JSON.stringify(firstKind.file)} (${firstKind.kind}): merge reports of one command only`);
    }
    if (kind && !firstKind) firstKind = { kind, file };
    for (const host of hostsOf(report)) {
      const other = owner.get(host);
      if (other !== undefined) {
        const otherFile = inputs[other]?.[0] ?? '';
        const where = otherFile === file ? `${JSON.stringify(file)}, given twice` : `both ${JSON.stringify(otherFile)} and ${JSON.stringify(file)}`;
        throw new ValidationError('files', file, `host ${host} is in ${where}: each host must come from one report (merge each --shard once)`);
      }
    }
    for (const host of hostsOf(report)) owner.set(host, index);
  }
}
