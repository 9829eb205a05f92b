import type { SimLanguage, SimState } from './farm.js';

/**
 * What quser / qwinsta print per UI language. Headers marked real are copied from captured output
 * (/work/shared/fixtures/real-output); the others are built from column words.
 * Unverified: every word of it, pt and ja, and the fr/ja words for Conn and Listen (ru and zh are from captures).
 * Note: real Windows prints in the UI language of the machine that RUNS quser; the simulator localizes per
 * target host so one farm exercises several languages at once.
 */
export interface LocaleText {
  /** quser header words: user, session, id, state, idle, logon (placed at the English columns). */
  quserWords: readonly [string, string, string, string, string, string];
  /** qwinsta header words: session, user, id, state, type, device. */
  qwinstaWords: readonly [string, string, string, string, string, string];
  /** Literal captured header lines, when real output exists. */
  quserHeader?: string;
  qwinstaHeader?: string;
  /** Word for "no idle time" (the fixtures show it only on console sessions). */
  none: string;
  states: Partial<Record<SimState, string>>;
  /** Display columns of the STATE field in quser rows; 8 unless real output shows otherwise. */
  quserStateWidth?: number;
}

export const LOCALES: Record<SimLanguage, LocaleText> = {
  en: {
    quserWords: ['USERNAME', 'SESSIONNAME', 'ID', 'STATE', 'IDLE TIME', 'LOGON TIME'],
    qwinstaWords: ['SESSIONNAME', 'USERNAME', 'ID', 'STATE', 'TYPE', 'DEVICE'],
    none: 'none',
    states: {},
  },
  de: {
    quserWords: ['BENUTZERNAME', 'SITZUNGSNAME', 'ID', 'STATUS', 'LEERLAUF', 'ANMELDEZEIT'],
    qwinstaWords: ['SITZUNGSNAME', 'BENUTZERNAME', 'ID', 'STATUS', 'TYP', 'GERÄT'],
    none: 'Kein',
    states: { Active: 'Aktiv', Disc: 'Getr.', Conn: 'Verb.', Listen: 'Abhör.' },
  },
  fr: {
    quserWords: ['UTILISATEUR', 'SESSION', 'ID', 'ÉTAT', 'TEMPS INACT', 'TEMPS SESSION'],
    qwinstaWords: ['SESSION', 'UTILISATEUR', 'ID', 'ÉTAT', 'TYPE', 'PÉRIPHÉRIQUE'],
    none: 'aucun',
    states: { Active: 'Actif', Disc: 'Déco', Conn: 'Conn', Listen: 'Écouter' },
  },
  it: {
    quserWords: ['NOME UTENTE', 'NOME SESSIONE', 'ID', 'STATO', 'INATTIVITÀ', 'TEMPO ACCESSO'],
    qwinstaWords: ['NOME SESSIONE', 'NOME UTENTE', 'ID', 'STATO', 'TIPO', 'DISPOSITIVO'],
    none: 'nessuno',
    states: { Active: 'Attivo', Disc: 'Disc', Conn: 'Conn', Listen: 'Rimani in ascolto' },
  },
  es: {
    quserWords: ['NOMBRE USUARIO', 'NOMBRE SESIÓN', 'ID.', 'ESTADO', 'TIEMPO IN.', 'TIEMPO SESIÓN'],
    qwinstaWords: ['NOMBRE DE SESIÓN', 'NOMBRE DE USUARIO', 'ID', 'ESTADO', 'TIPO', 'DISPOSITIVO'],
    // The real es qwinsta header is not aligned to its own columns: kept verbatim.
    qwinstaHeader: ' NOMBRE DE SESIÓN  NOMBRE DE USUARIO        ID  ESTADO    TIPO   DISPOSITIVO',
    none: 'ninguno',
    states: { Active: 'Activo', Disc: 'Desc', Conn: 'Conn', Listen: 'Escuchar' },
  },
  pt: {
    quserWords: ['NOME DE USUÁRIO', 'NOME DA SESSÃO', 'ID', 'ESTADO', 'OCIOSO', 'HORA DO LOGON'],
    qwinstaWords: ['NOME DA SESSÃO', 'NOME DE USUÁRIO', 'ID', 'ESTADO', 'TIPO', 'DISPOSITIVO'],
    none: 'nenhum',
    states: { Active: 'Ativo', Disc: 'Desc', Conn: 'Conn', Listen: 'Escutar' },
  },
  ru: {
    quserWords: ['ПОЛЬЗОВАТЕЛЬ', 'СЕАНС', 'ID', 'СТАТУС', 'БЕЗДЕЙСТВ.', 'ВРЕМЯ ВХОДА'],
    qwinstaWords: ['СЕАНС', 'ПОЛЬЗОВАТЕЛЬ', 'ID', 'СТАТУС', 'ТИП', 'УСТРОЙСТВО'],
    // Real captures (fixtures 065-067): 'отсутствует' for no idle time, 'Подключено' (Conn) and 'Прием'
    // (Listen) in qwinsta, and a header whose DEVICE word is 'УСТР-ВО'.
    qwinstaHeader: ' СЕАНС             ПОЛЬЗОВАТЕЛЬ             ID  СТАТУС  ТИП         УСТР-ВО',
    none: 'отсутствует',
    // Fixture 022 (a real ru sample) has idle ending one column later than every other language.
    quserStateWidth: 9,
    states: { Active: 'Активно', Disc: 'Диск', Conn: 'Подключено', Listen: 'Прием' },
  },
  zh: {
    quserWords: ['用户名', '会话名', 'ID', '状态', '空闲时间', '登录时间'],
    qwinstaWords: ['会话名', '用户名', 'ID', '状态', '类型', '设备'],
    none: '无',
    states: { Active: '运行中', Disc: '断开', Conn: '已连接', Listen: '侦听' },
  },
  ja: {
    quserWords: ['ユーザー名', 'セッション名', 'ID', '状態', 'アイドル時間', 'ログオン時刻'],
    qwinstaWords: ['セッション名', 'ユーザー名', 'ID', '状態', '種類', 'デバイス'],
    none: 'なし',
    states: { Active: 'アクティブ', Disc: '切断', Conn: '接続', Listen: '待ち受け' },
  },
};

/** The printed form of a state in a language; English abbreviations where no translation is known. */
export function stateWord(language: SimLanguage, state: SimState): string {
  return LOCALES[language].states[state] ?? state;
}
