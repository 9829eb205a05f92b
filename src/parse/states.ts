import type { SessionState } from '../types.js';

// Printed state words, by canonical state. Verified in captured output (see test/fixtures/SOURCES.md):
// en Active/Disc/Conn/Listen; de Aktiv/Getr./Abhör.; fr Actif; es Activo/Desc/Conn/Escuchar;
// ru Активно/Диск/Подключено/Прием (067); zh-CN 运行中/断开/已连接/侦听 (049, 068). From windows-facts.md (public pastes): de Verb., fr Déco, it Attivo/Disc,
// it `Rimani in ascolto` (listener), pt Ativo.
// Unverified: every other entry is the likely Windows translation, kept so such rows still read as
// the right state; a word missing here only yields `Unknown` plus an UNKNOWN_STATE issue, never a wrong state.
const WORDS: Readonly<Record<Exclude<SessionState, 'Unknown'>, readonly string[]>> = {
  Active: ['active', 'aktiv', 'actif', 'activo', 'attivo', 'ativo', 'активно', '运行中', '執行中', 'アクティブ', '활성', 'actief', 'aktywny', 'aktivní', 'etkin'],
  Connected: ['conn', 'connected', 'verb.', 'conectado', 'connesso', 'подключено', '已连接', '已連線', '接続', '연결', 'verbonden'],
  ConnectQuery: ['connq', 'connectquery', 'verb.abfr.'],
  Shadow: ['shadow', 'spiegeln', 'ombre', 'sombra', 'replica', 'тень', '影子', 'シャドウ'],
  Disconnected: ['disc', 'disconnected', 'getr.', 'déco', 'deco', 'desc', 'desconectado', 'disco', 'диск', 'отключено', '断开', '中斷', '切断', '연결 끊김', 'verbr.', 'rozł.'],
  Idle: ['idle', 'leerlauf', 'inactif', 'inactivo', 'inattivo', 'ocioso', 'простой', '空闲', 'アイドル', '유휴'],
  Listen: ['listen', 'abhör.', 'abhören', 'écouter', 'ecouter', 'escuchar', 'rimani in ascolto', 'escutar', 'прием', 'ожидание', 'прослушивание', '侦听', '接聽', '待ち受け', '수신 대기', 'luisteren'],
  Reset: ['reset', 'zurücks.', 'réinit.', 'restablecer', 'ripristina', 'redefinir', 'сброс', '重置', 'リセット', '다시 설정'],
  Down: ['down', 'arrêt', 'отказ', 'ダウン', '다운'],
  Init: ['init', 'init.', 'initialisieren', 'inicializar', 'инициализация', '初始化', '初期化', '초기화'],
};

const STATE_BY_WORD = new Map<string, SessionState>();
for (const [state, words] of Object.entries(WORDS) as [SessionState, readonly string[]][]) {
  for (const word of words) STATE_BY_WORD.set(word, state);
}

/** Every printed state word the parsers know, lower case (tests build adversarial names from them). */
export const KNOWN_STATE_WORDS: readonly string[] = [...STATE_BY_WORD.keys()];

/** Longest state phrase in the table, in words: lets parsers try multi-word states first. */
export const MAX_STATE_WORDS = 3;

/**
 * Canonical state for a printed state word in any supported language; `Unknown` when not recognised.
 * @example canonicalState('Getr.') // 'Disconnected'
 */
export function canonicalState(text: string): SessionState {
  const exact = PRINTED.get(text);
  if (exact !== undefined) return exact;
  const state = STATE_BY_WORD.get(text.trim().toLowerCase().replace(/\s+/g, ' ')) ?? 'Unknown';
  // Outputs repeat a handful of printed forms; remember them (bounded, so hostile input cannot grow it).
  if (PRINTED.size < 1000) PRINTED.set(text, state);
  return state;
}

const PRINTED = new Map<string, SessionState>();

/** True when `text` is a known printed state word (any language). */
export function isKnownState(text: string): boolean {
  return canonicalState(text) !== 'Unknown';
}
