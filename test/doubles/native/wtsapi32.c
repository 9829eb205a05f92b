/*
 * Test double of wtsapi32.dll for Linux: libwtsapi32.so, which .NET's P/Invoke finds for DllImport("wtsapi32")
 * through the normal native library search (LD_LIBRARY_PATH). It exports the functions ps/WtsApi.cs declares,
 * with the Windows x64 types and layouts (DWORD = uint32, BOOL = int32, WCHAR = UTF-16 uint16, HANDLE and
 * pointers 64-bit, FILETIME / LARGE_INTEGER int64 in 100 ns since 1601), so the C# marshalling that runs on
 * Windows runs here unchanged under real pwsh.
 *
 * The farm lives in the JSON state file the other doubles share: each call that needs it runs
 * `node wts-bridge.js <op> ...` (test/doubles/lib), which takes the same lock and answers one simple line
 * format. Errors are reported the way .NET's SetLastError reads them on Unix: errno, set last before
 * returning FALSE. A host whose fault is `hang` never answers: the call blocks until the process ends.
 *
 * Memory: WTSEnumerateSessionsExW hands out one block (entries, then their strings), freed by
 * WTSFreeMemoryExW(WTSTypeSessionInfoLevel1, p, count); WTSQuerySessionInformationW buffers are freed by
 * WTSFreeMemory. Per-session queries are answered from the calling thread's last enumeration of that
 * server when it is under a second old (one bridge run per listing instead of one per field), else the
 * farm is read again.
 *
 * Built by scripts/setup-wtsapi32.sh: cc -shared -fPIC -O2 -std=c11 -o .tools/wtsapi32/libwtsapi32.so wtsapi32.c
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef uint32_t DWORD;
typedef int32_t BOOL;
typedef uint16_t WCHAR;
typedef void *HANDLE;
#define TRUE 1
#define FALSE 0

#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INTERNAL_ERROR 1359
#define ERROR_CTX_WINSTATION_NOT_FOUND 7022

#define WTS_CURRENT_SESSION 0xFFFFFFFFu
#define WTS_TYPE_SESSION_INFO_LEVEL1 2

typedef struct {
  DWORD ExecEnvId;
  DWORD State;
  DWORD SessionId;
  WCHAR *pSessionName;
  WCHAR *pHostName;
  WCHAR *pUserName;
  WCHAR *pDomainName;
  WCHAR *pFarmName;
} WTS_SESSION_INFO_1W;

typedef struct {
  DWORD State;
  DWORD SessionId;
  DWORD IncomingBytes;
  DWORD OutgoingBytes;
  DWORD IncomingFrames;
  DWORD OutgoingFrames;
  DWORD IncomingCompressedBytes;
  DWORD OutgoingCompressedBytes;
  WCHAR WinStationName[32];
  WCHAR Domain[17];
  WCHAR UserName[21];
  int64_t ConnectTime;
  int64_t DisconnectTime;
  int64_t LastInputTime;
  int64_t LogonTime;
  int64_t CurrentTime;
} WTSINFOW;

typedef struct {
  DWORD AddressFamily;
  uint8_t Address[20];
} WTS_CLIENT_ADDRESS;

/* The documented x64 layouts (windows-facts.md); test/unit/run/wts-layout.test.ts checks the C# side. */
static_assert(sizeof(void *) == 8, "a 64-bit build: HANDLE and pointers are 8 bytes on x64 Windows");
static_assert(sizeof(WTS_SESSION_INFO_1W) == 56, "WTS_SESSION_INFO_1W is 56 bytes");
static_assert(offsetof(WTS_SESSION_INFO_1W, pSessionName) == 16, "pointers start at 16");
static_assert(offsetof(WTS_SESSION_INFO_1W, pFarmName) == 48, "pFarmName at 48");
static_assert(sizeof(WTSINFOW) == 216, "WTSINFOW is 216 bytes");
static_assert(offsetof(WTSINFOW, WinStationName) == 32, "WinStationName at 32");
static_assert(offsetof(WTSINFOW, Domain) == 96, "Domain at 96");
static_assert(offsetof(WTSINFOW, UserName) == 130, "UserName at 130");
static_assert(offsetof(WTSINFOW, ConnectTime) == 176, "ConnectTime at 176");
static_assert(offsetof(WTSINFOW, CurrentTime) == 208, "CurrentTime at 208");
static_assert(sizeof(WTS_CLIENT_ADDRESS) == 24, "WTS_CLIENT_ADDRESS is 24 bytes");

/* ---------- strings ---------- */

/* One session as the bridge describes it. Strings are UTF-16, NUL-terminated; NULL when absent. */
typedef struct {
  DWORD id, state, family, protocol;
  WCHAR *name, *user, *domain, *client;
  uint8_t address[20];
  int64_t logon, connect, disconnect, last_input, now;
} session_t;

typedef struct {
  char *server_hex; /* the server as the bridge reads it: "-" for this machine */
  int has_current;
  DWORD current;
  size_t count;
  session_t *sessions;
  struct timespec taken;
} snapshot_t;

static size_t wlen(const WCHAR *s) {
  size_t n = 0;
  while (s && s[n]) n++;
  return n;
}

/* "-" = NULL, "." = empty, else hex of UTF-16 code units. Returns -1 on malformed input. */
static int hex_to_wide(const char *hex, WCHAR **out) {
  *out = NULL;
  if (strcmp(hex, "-") == 0) return 0;
  size_t len = strcmp(hex, ".") == 0 ? 0 : strlen(hex);
  if (len % 4 != 0) return -1;
  WCHAR *w = calloc(len / 4 + 1, sizeof(WCHAR));
  if (!w) return -1;
  for (size_t i = 0; i < len / 4; i++) {
    char part[5] = {hex[i * 4], hex[i * 4 + 1], hex[i * 4 + 2], hex[i * 4 + 3], 0};
    char *end = NULL;
    unsigned long v = strtoul(part, &end, 16);
    if (*end != 0) {
      free(w);
      return -1;
    }
    w[i] = (WCHAR)v;
  }
  *out = w;
  return 0;
}

static char *wide_to_hex(const WCHAR *w) {
  if (!w) return strdup("-");
  size_t n = wlen(w);
  if (n == 0) return strdup(".");
  char *hex = malloc(n * 4 + 1);
  if (!hex) return NULL;
  for (size_t i = 0; i < n; i++) snprintf(hex + i * 4, 5, "%04x", w[i]);
  return hex;
}

/* ---------- the bridge ---------- */

#ifndef WTS_BRIDGE_DEFAULT
#define WTS_BRIDGE_DEFAULT "wts-bridge.js"
#endif

static void block_forever(void) {
  /* Like an RPC call to a host that drops packets: no answer, ever. Only killing the process ends it. */
  for (;;) pause();
}

/*
 * Runs the bridge and returns its stdout (malloc'd, NUL-terminated), or NULL when it could not run or failed.
 * Pipes are close-on-exec so a bridge started by another thread at the same moment cannot hold ours open.
 */
static char *run_bridge(char *const args[]) {
  const char *node = getenv("SESSION_LOGOFF_NODE");
  const char *bridge = getenv("SESSION_LOGOFF_WTS_BRIDGE");
  char *argv[16];
  size_t argc = 0;
  argv[argc++] = (char *)(node && *node ? node : "node");
  argv[argc++] = (char *)(bridge && *bridge ? bridge : WTS_BRIDGE_DEFAULT);
  for (size_t i = 0; args[i] && argc < 15; i++) argv[argc++] = args[i];
  argv[argc] = NULL;

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return NULL;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  pid_t pid;
  int spawned = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    return NULL;
  }
  size_t size = 0, cap = 4096;
  char *out = malloc(cap);
  for (;;) {
    if (out && size + 1024 > cap) {
      char *bigger = realloc(out, cap * 2);
      if (!bigger) {
        free(out);
        out = NULL;
      } else {
        out = bigger;
        cap *= 2;
      }
    }
    char scratch[1024];
    ssize_t n = read(fds[0], out ? out + size : scratch, 1024);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out) size += (size_t)n;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!out) return NULL;
  out[size] = 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    free(out);
    return NULL;
  }
  return out;
}

/* "err N" → N; "hang" blocks; "ok..." → 0. Anything else is the double's own failure. */
static DWORD answer_code(const char *text) {
  if (!text) return ERROR_INTERNAL_ERROR;
  if (strncmp(text, "hang", 4) == 0) block_forever();
  if (strncmp(text, "err ", 4) == 0) {
    unsigned long code = strtoul(text + 4, NULL, 10);
    return code == 0 ? ERROR_INTERNAL_ERROR : (DWORD)code;
  }
  return strncmp(text, "ok", 2) == 0 ? 0 : ERROR_INTERNAL_ERROR;
}

/* ---------- server handles and the per-thread snapshot ---------- */

#define HANDLE_MAGIC 0x57545348u /* "WTSH" */

typedef struct {
  uint32_t magic;
  char *server_hex;
} server_t;

static pthread_key_t snapshot_key;
static pthread_once_t snapshot_once = PTHREAD_ONCE_INIT;

static void free_snapshot(void *p) {
  snapshot_t *snap = p;
  if (!snap) return;
  for (size_t i = 0; i < snap->count; i++) {
    free(snap->sessions[i].name);
    free(snap->sessions[i].user);
    free(snap->sessions[i].domain);
    free(snap->sessions[i].client);
  }
  free(snap->sessions);
  free(snap->server_hex);
  free(snap);
}

static void make_key(void) { pthread_key_create(&snapshot_key, free_snapshot); }

static void drop_snapshot(void) {
  pthread_once(&snapshot_once, make_key);
  free_snapshot(pthread_getspecific(snapshot_key));
  pthread_setspecific(snapshot_key, NULL);
}

/* NULL handle = WTS_CURRENT_SERVER_HANDLE = this machine. Returns NULL for a handle we never gave out. */
static const char *server_of(HANDLE h, int *ok) {
  *ok = 1;
  if (h == NULL) return "-";
  server_t *s = h;
  if (s->magic != HANDLE_MAGIC) {
    *ok = 0;
    return NULL;
  }
  return s->server_hex;
}

static int parse_session(char *line, session_t *s) {
  char *save = NULL;
  char *f[15];
  int n = 0;
  for (char *t = strtok_r(line, " ", &save); t && n < 15; t = strtok_r(NULL, " ", &save)) f[n++] = t;
  if (n != 15 || strtok_r(NULL, " ", &save) != NULL || strcmp(f[0], "s") != 0) return -1;
  memset(s, 0, sizeof *s);
  s->id = (DWORD)strtoul(f[1], NULL, 10);
  s->state = (DWORD)strtoul(f[2], NULL, 10);
  if (hex_to_wide(f[3], &s->name) || hex_to_wide(f[4], &s->user) || hex_to_wide(f[5], &s->domain) || hex_to_wide(f[6], &s->client)) return -1;
  s->family = (DWORD)strtoul(f[7], NULL, 10);
  if (strlen(f[8]) != 40) return -1;
  for (int i = 0; i < 20; i++) {
    char byte[3] = {f[8][i * 2], f[8][i * 2 + 1], 0};
    s->address[i] = (uint8_t)strtoul(byte, NULL, 16);
  }
  s->protocol = (DWORD)strtoul(f[9], NULL, 10);
  s->logon = strtoll(f[10], NULL, 10);
  s->connect = strtoll(f[11], NULL, 10);
  s->disconnect = strtoll(f[12], NULL, 10);
  s->last_input = strtoll(f[13], NULL, 10);
  s->now = strtoll(f[14], NULL, 10);
  return 0;
}

/* Reads the farm for one server; on success the thread's snapshot is replaced. Returns a Win32 code. */
static DWORD refresh(const char *server_hex, snapshot_t **out) {
  char *args[] = {"enum", (char *)server_hex, NULL};
  char *text = run_bridge(args);
  DWORD code = answer_code(text);
  if (code != 0) {
    free(text);
    return code;
  }
  snapshot_t *snap = calloc(1, sizeof *snap);
  char *save = NULL;
  char *line = strtok_r(text, "\n", &save);
  char current[32] = {0};
  unsigned long count = 0;
  if (!snap || !line || sscanf(line, "ok %31s %lu", current, &count) != 2) {
    free(snap);
    free(text);
    return ERROR_INTERNAL_ERROR;
  }
  snap->server_hex = strdup(server_hex);
  snap->has_current = strcmp(current, "-") != 0;
  snap->current = snap->has_current ? (DWORD)strtoul(current, NULL, 10) : 0;
  snap->sessions = calloc(count ? count : 1, sizeof(session_t));
  for (unsigned long i = 0; i < count; i++) {
    line = strtok_r(NULL, "\n", &save);
    if (!line || parse_session(line, &snap->sessions[i]) != 0) {
      snap->count = i;
      free_snapshot(snap);
      free(text);
      return ERROR_INTERNAL_ERROR;
    }
    snap->count = i + 1;
  }
  free(text);
  clock_gettime(CLOCK_MONOTONIC, &snap->taken);
  drop_snapshot();
  pthread_setspecific(snapshot_key, snap);
  *out = snap;
  return 0;
}

static snapshot_t *fresh_snapshot(const char *server_hex) {
  pthread_once(&snapshot_once, make_key);
  snapshot_t *snap = pthread_getspecific(snapshot_key);
  if (!snap || strcmp(snap->server_hex, server_hex) != 0) return NULL;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double age = (double)(now.tv_sec - snap->taken.tv_sec) + (double)(now.tv_nsec - snap->taken.tv_nsec) / 1e9;
  return age < 1.0 ? snap : NULL;
}

static session_t *find_session(snapshot_t *snap, DWORD id) {
  for (size_t i = 0; i < snap->count; i++)
    if (snap->sessions[i].id == id) return &snap->sessions[i];
  return NULL;
}

static BOOL fail(DWORD code) {
  errno = (int)code; /* last: nothing after this may touch errno */
  return FALSE;
}

/* ---------- the exports ---------- */

HANDLE WTSOpenServerExW(const WCHAR *pServerName) {
  /* Like the real one, this never fails for a bad name: the first call that uses the handle does. */
  server_t *s = calloc(1, sizeof *s);
  if (!s) {
    errno = ERROR_NOT_ENOUGH_MEMORY;
    return NULL;
  }
  s->magic = HANDLE_MAGIC;
  s->server_hex = wide_to_hex(pServerName && wlen(pServerName) ? pServerName : NULL);
  return s;
}

void WTSCloseServer(HANDLE hServer) {
  if (!hServer) return;
  server_t *s = hServer;
  if (s->magic != HANDLE_MAGIC) return;
  s->magic = 0;
  free(s->server_hex);
  free(s);
}

BOOL WTSEnumerateSessionsExW(HANDLE hServer, DWORD *pLevel, DWORD Filter, WTS_SESSION_INFO_1W **ppSessionInfo, DWORD *pCount) {
  int ok;
  const char *server = server_of(hServer, &ok);
  if (!ok) return fail(ERROR_INVALID_HANDLE);
  if (!pLevel || *pLevel != 1 || Filter != 0 || !ppSessionInfo || !pCount) return fail(ERROR_INVALID_PARAMETER);
  snapshot_t *snap = NULL;
  DWORD code = refresh(server, &snap);
  if (code != 0) return fail(code);
  /* One block: the entries, then every string they point to (so one free releases all). */
  size_t bytes = snap->count * sizeof(WTS_SESSION_INFO_1W);
  for (size_t i = 0; i < snap->count; i++) {
    session_t *s = &snap->sessions[i];
    bytes += (wlen(s->name) + wlen(s->user) + wlen(s->domain) + 3) * sizeof(WCHAR);
  }
  uint8_t *block = calloc(1, bytes ? bytes : 1);
  if (!block) return fail(ERROR_NOT_ENOUGH_MEMORY);
  WTS_SESSION_INFO_1W *rows = (WTS_SESSION_INFO_1W *)block;
  WCHAR *strings = (WCHAR *)(block + snap->count * sizeof(WTS_SESSION_INFO_1W));
  for (size_t i = 0; i < snap->count; i++) {
    session_t *s = &snap->sessions[i];
    rows[i].ExecEnvId = (DWORD)i;
    rows[i].State = s->state;
    rows[i].SessionId = s->id;
    WCHAR *fields[3] = {s->name, s->user, s->domain};
    WCHAR **targets[3] = {&rows[i].pSessionName, &rows[i].pUserName, &rows[i].pDomainName};
    for (int k = 0; k < 3; k++) {
      /* Unverified: whether the real API gives NULL or "" for a blank name; "" here, as WTSINFOW has. */
      size_t n = wlen(fields[k]);
      if (n) memcpy(strings, fields[k], n * sizeof(WCHAR));
      strings[n] = 0;
      *targets[k] = strings;
      strings += n + 1;
    }
    rows[i].pHostName = NULL;
    rows[i].pFarmName = NULL;
  }
  *ppSessionInfo = rows;
  *pCount = (DWORD)snap->count;
  return TRUE;
}

BOOL WTSFreeMemoryExW(int WTSTypeClass, void *pMemory, DWORD NumberOfEntries) {
  (void)NumberOfEntries;
  if (WTSTypeClass != WTS_TYPE_SESSION_INFO_LEVEL1) return fail(ERROR_INVALID_PARAMETER);
  free(pMemory);
  return TRUE;
}

void WTSFreeMemory(void *pMemory) { free(pMemory); }

static void copy_fixed(WCHAR *dst, size_t cap, const WCHAR *src) {
  size_t n = wlen(src);
  if (n > cap - 1) n = cap - 1; /* the fixed arrays hold cap - 1 characters and a NUL */
  if (n) memcpy(dst, src, n * sizeof(WCHAR));
  dst[n] = 0;
}

static BOOL give(void *data, size_t bytes, void **ppBuffer, DWORD *pBytesReturned) {
  void *copy = malloc(bytes);
  if (!copy) return fail(ERROR_NOT_ENOUGH_MEMORY);
  memcpy(copy, data, bytes);
  *ppBuffer = copy;
  *pBytesReturned = (DWORD)bytes;
  return TRUE;
}

static BOOL give_string(const WCHAR *s, void **ppBuffer, DWORD *pBytesReturned) {
  static const WCHAR empty[1] = {0};
  const WCHAR *text = s ? s : empty;
  return give((void *)text, (wlen(text) + 1) * sizeof(WCHAR), ppBuffer, pBytesReturned);
}

BOOL WTSQuerySessionInformationW(HANDLE hServer, DWORD SessionId, int WTSInfoClass, void **ppBuffer, DWORD *pBytesReturned) {
  int ok;
  const char *server = server_of(hServer, &ok);
  if (!ok) return fail(ERROR_INVALID_HANDLE);
  if (!ppBuffer || !pBytesReturned) return fail(ERROR_INVALID_PARAMETER);
  snapshot_t *snap = fresh_snapshot(server);
  if (!snap) {
    DWORD code = refresh(server, &snap);
    if (code != 0) return fail(code);
  }
  if (SessionId == WTS_CURRENT_SESSION) {
    /* Microsoft: WTS_CURRENT_SESSION only means something on WTS_CURRENT_SERVER_HANDLE. */
    if (hServer != NULL) return fail(ERROR_INVALID_PARAMETER);
    if (!snap->has_current) return fail(ERROR_CTX_WINSTATION_NOT_FOUND);
    SessionId = snap->current;
  }
  session_t *s = find_session(snap, SessionId);
  if (!s) return fail(ERROR_CTX_WINSTATION_NOT_FOUND);
  switch (WTSInfoClass) {
    case 4: /* WTSSessionId */
    case 8: { /* WTSConnectState */
      DWORD value = WTSInfoClass == 4 ? s->id : s->state;
      return give(&value, sizeof value, ppBuffer, pBytesReturned);
    }
    case 5: return give_string(s->user, ppBuffer, pBytesReturned);   /* WTSUserName */
    case 6: return give_string(s->name, ppBuffer, pBytesReturned);   /* WTSWinStationName */
    case 7: return give_string(s->domain, ppBuffer, pBytesReturned); /* WTSDomainName */
    case 10: return give_string(s->client, ppBuffer, pBytesReturned); /* WTSClientName */
    case 14: { /* WTSClientAddress */
      WTS_CLIENT_ADDRESS address;
      memset(&address, 0, sizeof address);
      address.AddressFamily = s->family;
      memcpy(address.Address, s->address, sizeof address.Address);
      return give(&address, sizeof address, ppBuffer, pBytesReturned);
    }
    case 16: { /* WTSClientProtocolType: USHORT */
      uint16_t protocol = (uint16_t)s->protocol;
      return give(&protocol, sizeof protocol, ppBuffer, pBytesReturned);
    }
    case 24: { /* WTSSessionInfo */
      WTSINFOW info;
      memset(&info, 0, sizeof info);
      info.State = s->state;
      info.SessionId = s->id;
      copy_fixed(info.WinStationName, 32, s->name);
      copy_fixed(info.Domain, 17, s->domain);
      copy_fixed(info.UserName, 21, s->user);
      info.ConnectTime = s->connect;
      info.DisconnectTime = s->disconnect;
      info.LastInputTime = s->last_input;
      info.LogonTime = s->logon;
      info.CurrentTime = s->now;
      return give(&info, sizeof info, ppBuffer, pBytesReturned);
    }
    default:
      return fail(ERROR_INVALID_PARAMETER);
  }
}

BOOL WTSLogoffSession(HANDLE hServer, DWORD SessionId, BOOL bWait) {
  (void)bWait; /* the farm removes the session at once: waiting and not waiting look the same here */
  int ok;
  const char *server = server_of(hServer, &ok);
  if (!ok) return fail(ERROR_INVALID_HANDLE);
  char id[16];
  snprintf(id, sizeof id, "%u", SessionId);
  char *args[] = {"logoff", (char *)server, id, NULL};
  char *text = run_bridge(args);
  DWORD code = answer_code(text);
  free(text);
  drop_snapshot(); /* what this thread saw before is no longer true */
  return code == 0 ? TRUE : fail(code);
}

BOOL WTSSendMessageW(HANDLE hServer, DWORD SessionId, const WCHAR *pTitle, DWORD TitleLength, const WCHAR *pMessage, DWORD MessageLength,
                     DWORD Style, DWORD Timeout, DWORD *pResponse, BOOL bWait) {
  (void)Style;
  int ok;
  const char *server = server_of(hServer, &ok);
  if (!ok) return fail(ERROR_INVALID_HANDLE);
  /* Lengths are in BYTES (Microsoft's documentation): an odd count, or text shorter than the count, is the caller's bug. */
  if (!pTitle || !pMessage || !pResponse || TitleLength % 2 || MessageLength % 2) return fail(ERROR_INVALID_PARAMETER);
  size_t title_chars = TitleLength / 2, text_chars = MessageLength / 2;
  WCHAR *title = calloc(title_chars + 1, sizeof(WCHAR));
  WCHAR *body = calloc(text_chars + 1, sizeof(WCHAR));
  if (!title || !body) {
    free(title);
    free(body);
    return fail(ERROR_NOT_ENOUGH_MEMORY);
  }
  memcpy(title, pTitle, title_chars * sizeof(WCHAR));
  memcpy(body, pMessage, text_chars * sizeof(WCHAR));
  char *title_hex = wide_to_hex(title);
  char *body_hex = wide_to_hex(body);
  free(title);
  free(body);
  char id[16], seconds[16];
  snprintf(id, sizeof id, "%u", SessionId);
  snprintf(seconds, sizeof seconds, "%u", Timeout);
  char *args[] = {"message", (char *)server, id, title_hex, body_hex, seconds, bWait ? "1" : "0", NULL};
  char *text = run_bridge(args);
  free(title_hex);
  free(body_hex);
  DWORD code = answer_code(text);
  unsigned long response = 0;
  if (code == 0 && sscanf(text, "ok %lu", &response) != 1) code = ERROR_INTERNAL_ERROR;
  free(text);
  drop_snapshot();
  if (code != 0) return fail(code);
  *pResponse = (DWORD)response;
  return TRUE;
}
