import type { DateOrder, ParseIssue, SessionRecord } from '../types.js';
import { toIsoLocal, type LogonReading } from './logon-time.js';

const ORDERS: readonly (DateOrder | null)[] = [null, 'dmy', 'mdy', 'ymd'];
/** Numbers kept per reading: parts (3), hour, minute, flags (kind, shortYear, evidence). */
const FIELDS = 6;

/**
 * Logon times waiting for the output's day/month order. Readings are copied into one flat number array
 * instead of kept as objects: with 100,000 rows the per-row objects were a large share of the garbage,
 * and callers may pass a reused scratch reading.
 */
export class PendingLogons {
  private readonly records: SessionRecord[] = [];
  private readonly lines: number[] = [];
  private readonly data: number[] = [];
  /** Bit per DateOrder (index in ORDERS) that some open reading proves. */
  private evidence = 0;

  add(record: SessionRecord, reading: LogonReading, lineNo: number): void {
    const { evidence: proof, parts } = reading;
    const evidence = proof === null ? 0 : proof === 'dmy' ? 1 : proof === 'mdy' ? 2 : 3;
    if (reading.kind === 'open' && evidence > 0) this.evidence |= 1 << evidence;
    const flags = (reading.kind === 'fixed' ? 1 : 0) | (reading.shortYear ? 2 : 0) | (evidence << 2);
    this.records.push(record);
    this.lines.push(lineNo);
    this.data.push(parts[0], parts[1], parts[2], reading.hour, reading.minute, flags);
  }

  // Day/month order comes only from evidence inside this output (a part over 12, the dotted form) or from
  // the caller; AM/PM and header language prove nothing (Australian output is day-first with AM/PM).
  settle(given: DateOrder | undefined, issues: ParseIssue[]): void {
    const seen = this.evidence;
    // Exactly one order proven: a single bit set.
    const order = given ?? (seen !== 0 && (seen & (seen - 1)) === 0 ? (ORDERS[Math.log2(seen)] ?? null) : null);
    const reading: LogonReading = { kind: 'open', parts: [0, 0, 0], shortYear: false, evidence: null, hour: 0, minute: 0 };
    const { records, lines, data } = this;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const at = i * FIELDS;
      const flags = data[at + 5]!;
      reading.kind = flags & 1 ? 'fixed' : 'open';
      reading.shortYear = (flags & 2) !== 0;
      reading.evidence = ORDERS[flags >> 2] ?? null;
      reading.parts[0] = data[at]!;
      reading.parts[1] = data[at + 1]!;
      reading.parts[2] = data[at + 2]!;
      reading.hour = data[at + 3]!;
      reading.minute = data[at + 4]!;
      record.logonTime = toIsoLocal(reading, order);
      if (record.logonTime === null && (order !== null || reading.kind === 'fixed')) {
        issues.push({ line: lines[i]!, code: 'BAD_DATE', message: `logon time ${JSON.stringify(record.logonText)} is not a valid date${order ? ` in ${order} order` : ''}` });
      }
    }
  }
}
