import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../errors.js';
import type { BlockLogonsMode } from '../types.js';
import type { OnFailure, RolloutHostState, RolloutStop } from './types.js';

export const STATE_KIND = 'session-logoff-rollout';
export const STATE_VERSION = 1;

/** What a resumed run needs to go on exactly as planned: the options that shape the plan and each host's cycle. */
export interface RolloutPlanOptions {
  maxUnavailable: number;
  minServing: number;
  canary: number;
  maxFailed: number;
  onFailure: OnFailure;
  blockLogons: BlockLogonsMode;
  message: string | null;
  cancelMessage: string;
  graceMs: number;
  warnAtMs: number[];
  pollIntervalMs: number;
  verifyTimeoutMs: number;
  waitBackMs: number;
  maintainTimeoutMs: number;
  leaseMs: number;
}

/** The state file: the plan, every host's phase, and the command. JSON, written by temp file + rename. */
export interface RolloutStateDoc {
  kind: typeof STATE_KIND;
  version: typeof STATE_VERSION;
  createdAt: string;
  updatedAt: string;
  /** The maintenance command (argv), or null for a library `maintain` callback. */
  command: string[] | null;
  options: RolloutPlanOptions;
  /** Hosts in plan order (fewest sessions first). */
  hosts: RolloutHostState[];
  waves: string[][];
  stopped: RolloutStop | null;
  /** How many runs worked on it (1 + resumes). */
  runs: number;
}

/**
 * Saves snapshots of the state, each atomically: a temp file in the same folder, then rename, so a reader or
 * a crash (kill -9) sees the old or the new file, never half of one. `save()` resolves once a write that
 * started after the call is on disk (it rejects if that write failed), so a caller that awaits it before a
 * change has the change's phase recorded first. Saves asked for in the same turn of the event loop share one
 * write (a wave's hosts move together); the write itself is synchronous, so nothing runs between the snapshot
 * and the rename, and a fake clock in tests cannot run ahead of it.
 */
export function createStateWriter(file: string, snapshot: () => RolloutStateDoc): { save(): Promise<void> } {
  let seq = 0;
  let pending: Promise<void> | null = null;
  const write = (): void => {
    const doc = snapshot();
    doc.updatedAt = new Date().toISOString();
    const tmp = `${file}.${process.pid}.${++seq}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(doc));
      renameSync(tmp, file);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  };
  return {
    save() {
      pending ??= new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          pending = null;
          try {
            write();
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
      return pending;
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a state file written by a rollout. Throws ValidationError (`argument`, default `resume`) when it cannot
 * be read or is not a rollout state file of this version.
 */
export async function readStateFile(file: string, argument = 'resume'): Promise<RolloutStateDoc> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(argument, file, `cannot read the rollout state file ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(argument, file, `the rollout state file ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc) || doc['kind'] !== STATE_KIND) throw new ValidationError(argument, file, `${JSON.stringify(file)} is not a rollout state file`);
  if (doc['version'] !== STATE_VERSION) throw new ValidationError(argument, file, `${JSON.stringify(file)} is a rollout state file of version ${String(doc['version'])}; this version reads ${STATE_VERSION}`);
  const hosts = doc['hosts'];
  if (!Array.isArray(hosts) || !hosts.every((h) => isObject(h) && typeof h['host'] === 'string' && typeof h['phase'] === 'string' && typeof h['status'] === 'string')) {
    throw new ValidationError(argument, file, `the rollout state file ${JSON.stringify(file)} is damaged: "hosts" is not a list of hosts`);
  }
  if (!isObject(doc['options']) || !Array.isArray(doc['waves'])) throw new ValidationError(argument, file, `the rollout state file ${JSON.stringify(file)} is damaged: no options or waves`);
  return doc as unknown as RolloutStateDoc;
}
