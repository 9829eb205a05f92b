/**
 * Canonical session states, after WINSTATIONSTATECLASS (Active 0 … Init 9). Localized printed forms
 * (`Aktiv`, `Getr.`, `运行中` …) are mapped onto these; anything unrecognised is `Unknown`.
 */
export type SessionState =
  | 'Active'
  | 'Connected'
  | 'ConnectQuery'
  | 'Shadow'
  | 'Disconnected'
  | 'Idle'
  | 'Listen'
  | 'Reset'
  | 'Down'
  | 'Init'
  | 'Unknown';

/** One row of quser / query session output. This shape is also the CLI's JSON contract. */
export interface SessionRecord {
  /** The host the record came from; null when parsed from text with no host attached. */
  host: string | null;
  id: number;
  /** null when the column is blank (services, console with nobody, listeners). */
  username: string | null;
  /** null when blank: disconnected sessions have no session name. */
  sessionName: string | null;
  state: SessionState;
  /** The state word as printed, e.g. `Getr.`. */
  stateText: string;
  /** Minutes idle; 0 for `.`/`none` and translations; null when unknown (`*`, absurd values). */
  idleMinutes: number | null;
  idleText: string | null;
  /**
   * Text source: ISO local time `YYYY-MM-DDTHH:mm` (the caller's wall clock); null when the date cannot be
   * read unambiguously. WTS source: the full UTC time, `YYYY-MM-DDTHH:mm:ss.sssZ`.
   */
  logonTime: string | null;
  logonText: string | null;
  /**
   * The caller's own session: the `>` marker of a local query, or, on a named host that is this machine
   * (quser /server: prints no marker), the session with the id a local query marked.
   */
  isCurrent: boolean;
  /**
   * Present (true) on a named host that only may be this machine (it cannot be resolved but has our first
   * label, or resolves to our address among others) for the session with the caller's local id: it may be
   * the caller's own session or someone else's, so it is never a target, not even with self.
   */
  mayBeCurrent?: boolean;
  /** query session only. */
  type: string | null;
  /** query session only. */
  device: string | null;
  /**
   * Present only when the row could be read more than one way (a user name holding numbers and state
   * words, no header to decide by its columns) or its id appears twice in one output: then id, names and
   * state may be wrong, and the session is never acted on (reported `refused` with this text).
   */
  ambiguous?: string;
  /** Where the record came from: quser / query session text, or the Remote Desktop Services API. Absent from parsers. */
  source?: SessionSource;
  /** WTS only (absent from text), like every field below: the user's domain; null when the API gives none. */
  domain?: string | null;
  /** The client computer's name (WTSClientName). */
  clientName?: string | null;
  /** The client's IPv4 or IPv6 address (WTSClientAddress). */
  clientAddress?: string | null;
  /** WTSClientProtocolType: `console`, `ica` (Citrix) or `rdp`. */
  clientProtocol?: 'console' | 'ica' | 'rdp' | null;
  /** UTC ISO 8601 (`…Z`) of the last input; `idleMinutes` is the server's current time minus this, rounded down. */
  lastInputTime?: string | null;
  /** UTC ISO 8601 (`…Z`) of the last disconnect. */
  disconnectTime?: string | null;
}

/** `text`: parsed from quser / query session output; `wts`: read from wtsapi32 as data. */
export type SessionSource = 'wts' | 'text';

export type ParseIssueCode =
  | 'NO_HEADER'
  | 'UNREADABLE_ROW'
  | 'BAD_ID'
  | 'AMBIGUOUS_DATE'
  | 'BAD_DATE'
  | 'BAD_IDLE'
  | 'UNKNOWN_STATE'
  | 'TRUNCATED_NAME'
  | 'AMBIGUOUS_ROW'
  | 'DUPLICATE_ID'
  | 'DECODE';

/** A row or input that could not be read cleanly; parsers return these as data and never throw. */
export interface ParseIssue {
  /** 1-based line number in the decoded input (0 for whole-input issues). */
  line: number;
  code: ParseIssueCode;
  message: string;
}

export interface ParseResult {
  sessions: SessionRecord[];
  issues: ParseIssue[];
}

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** OEM code pages quser may print in, plus windows-1252 and UTF encodings. */
export type OutputEncoding =
  | 'utf8'
  | 'utf-8'
  | 'utf16le'
  | 'cp437'
  | 'cp850'
  | 'cp852'
  | 'cp866'
  | 'cp932'
  | 'cp936'
  | 'cp949'
  | 'cp950'
  | 'windows-1252';

export interface ParseOptions {
  /** How to decode a Buffer; UTF-16LE with a BOM is recognised regardless. Default utf8. */
  encoding?: OutputEncoding;
  /** Day/month order of LOGON TIME, when known from the culture of the machine that ran quser. */
  dateOrder?: DateOrder;
  /** Stamped onto every record. */
  host?: string | null;
}

/** What `classifyOutput` decides about one quser / query session run. */
export type OutputKind =
  | 'sessions'
  | 'empty'
  | 'access-denied'
  | 'rpc-unavailable'
  | 'security-package'
  | 'invalid-parameter'
  | 'unknown';

export interface OutputClassification {
  kind: OutputKind;
  /** The Win32 error code found in the output, e.g. 5 or 1722, when there was one. */
  win32Code: number | null;
  /** First meaningful line of stderr (or stdout when stderr is empty), for error messages. */
  detail: string;
}

/** An exe invocation: argv only, never a command string. Message text travels on stdin. */
export interface CommandSpec {
  file: string;
  args: readonly string[];
  input?: string;
}
