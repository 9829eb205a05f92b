import type { SimLanguage } from './farm.js';

export const CRLF = '\r\n';

/** Win32 codes the simulator reports; the bracketed code survives translation (fixture 058). */
export type Win32Code = 5 | 50 | 1722 | 1825 | 7022;

const HEX: Record<Win32Code, string> = { 5: '00000005', 50: '00000032', 1722: '000006BA', 1825: '00000721', 7022: '00001B6E' };

interface ErrorWords {
  error: string;
  enumerating: string;
  texts: Partial<Record<Win32Code, string>>;
}

// en: windows-facts.md; ru access denied: fixture 058. Unverified: every other translated line.
const WORDS: Partial<Record<SimLanguage, ErrorWords>> & { en: ErrorWords } = {
  en: {
    error: 'Error',
    enumerating: 'enumerating sessionnames',
    texts: {
      5: 'Access is denied.',
      50: 'The request is not supported.',
      1722: 'The RPC server is unavailable.',
      1825: 'A security package specific error occurred.',
      7022: 'The specified session cannot be found.',
    },
  },
  de: {
    error: 'Fehler',
    enumerating: 'beim Aufzählen der Sitzungsnamen',
    texts: { 5: 'Zugriff verweigert', 1722: 'Der RPC-Server ist nicht verfügbar.', 1825: 'Sicherheitspaketspezifischer Fehler.' },
  },
  ru: {
    error: 'Ошибка',
    enumerating: 'перечисления сеансов',
    texts: { 5: 'Отказано в доступе.', 1722: 'Сервер RPC недоступен.', 1825: 'Ошибка в зависимости от пакета безопасности.' },
  },
  fr: {
    error: 'Erreur',
    enumerating: "lors de l'énumération des noms de session",
    texts: { 5: 'Accès refusé.', 1722: 'Le serveur RPC n’est pas disponible.' },
  },
  es: {
    error: 'Error',
    enumerating: 'al enumerar los nombres de sesión',
    texts: { 5: 'Acceso denegado.', 1722: 'El servidor RPC no está disponible.' },
  },
  zh: { error: '错误', enumerating: '枚举会话名', texts: { 5: '拒绝访问。', 1722: 'RPC 服务器不可用。' } },
};

function words(language: SimLanguage | undefined): ErrorWords {
  return WORDS[language ?? 'en'] ?? WORDS.en;
}

/** `Error [5]:Access is denied.` in the host's language; no space after the colon, as captured. */
export function win32Line(code: Win32Code, language?: SimLanguage): string {
  const w = words(language);
  return `${w.error} [${code}]:${w.texts[code] ?? WORDS.en.texts[code] ?? ''}`;
}

/** The two stderr lines quser / qwinsta print when they cannot enumerate a host's sessions. */
export function enumerationError(code: Win32Code, language?: SimLanguage): string {
  const w = words(language);
  return `${w.error} 0x${HEX[code]} ${w.enumerating}${CRLF}${win32Line(code, language)}${CRLF}`;
}

/**
 * What logoff prints when it fails. Unverified: the first line's wording (never parsed: callers re-query).
 */
export function logoffError(id: number | string, code: Win32Code, language?: SimLanguage): string {
  return `Could not logoff session ID ${id}, Error code ${code}${CRLF}${win32Line(code, language)}${CRLF}`;
}

export const QUSER_USAGE = [
  'Display information about users logged on to the system.',
  '',
  'QUERY USER [username | sessionname | sessionid] [/SERVER:servername]',
  '',
  '  username            Identifies the username.',
  '  sessionname         Identifies the session named sessionname.',
  '  sessionid           Identifies the session with ID sessionid.',
  '  /SERVER:servername  The server to be queried (default is current).',
].join(CRLF) + CRLF;

export const CHGLOGON_USAGE = [
  'Enable or Disable session logins.',
  '',
  'CHANGE LOGON {/QUERY | /ENABLE | /DISABLE | /DRAIN | /DRAINUNTILRESTART}',
  '',
  '  /QUERY              Query current session login mode.',
  '  /ENABLE             Enable user logins from sessions.',
  '  /DISABLE            Disable user logins from sessions.',
  '  /DRAIN              Disable new user logons, but allow reconnections to existing sessions.',
  '  /DRAINUNTILRESTART  Disable new user logons until the server is restarted,',
  '                      but allow reconnections to existing sessions.',
].join(CRLF) + CRLF;

/** `Invalid parameter(s)` followed by the tool's usage, as the query tools print for bad arguments. */
export function invalidParameters(usage: string): string {
  return `Invalid parameter(s)${CRLF}${usage}`;
}

export const LOGOFF_USAGE = [
  'Terminates a session.',
  '',
  'LOGOFF [sessionname | sessionid] [/SERVER:servername] [/V] [/VM]',
].join(CRLF) + CRLF;

export const MSG_USAGE = [
  'Send a message to a user.',
  '',
  'MSG {username | sessionname | sessionid | @filename | *}',
  '    [/SERVER:servername] [/TIME:seconds] [/V] [/W] [message]',
].join(CRLF) + CRLF;
