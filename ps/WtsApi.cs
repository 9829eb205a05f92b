// session-logoff: the Remote Desktop Services API (wtsapi32) through P/Invoke, compiled once per PowerShell
// process by Add-Type (ps/SessionLogoff.ps1, Initialize-SlWts) and shared by every runspace of that process.
//
// Declarations follow the Win32 reference (wtsapi32.h) for x64: DWORD = uint, BOOL = int (bool marshalled as
// a 4-byte BOOL), WCHAR = UTF-16, HANDLE and pointers = IntPtr, FILETIME / LARGE_INTEGER = long (100 ns ticks
// since 1601-01-01 UTC). Entry points are named by their W names with CharSet.Unicode and ExactSpelling: .NET
// on Linux adds no W suffix, and CharSet.Auto would mean UTF-8 there. The library is a plain
// DllImport("wtsapi32"): System32 on Windows, libwtsapi32.so through the normal native search elsewhere (our
// test double, found through LD_LIBRARY_PATH). SetLastError = true: .NET reads GetLastError on Windows and
// errno on Unix right after the call, on the calling thread, so every call and its error read stay together
// in one C# method on one thread. C# 5 only (no `when`, `?.`, `=>` members, interpolation): Windows
// PowerShell 5.1's Add-Type compiles with the .NET Framework's C# 5 CodeDom compiler. Unverified: compiled
// and run under 5.1 (verified under PowerShell 7.6 on Linux against the test double).
//
// Every call runs on a background thread of its own (RunOnThread): a WTS call to a host that drops packets
// blocks inside the native code, where no PowerShell pipeline stop can reach it. The PowerShell side waits in
// short slices that a stop interrupts, so a timed-out call is cancelled and the shell stays usable; the
// blocked thread is abandoned (it ends when the RPC layer gives up, or with the process). Unverified: how long
// a real call to a host that drops packets blocks before RPC gives up (verified: the double's hang, forever).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace SessionLogoff
{
    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    public struct WTS_SESSION_INFO_1W
    {
        public uint ExecEnvId;
        public uint State;
        public uint SessionId;
        public IntPtr pSessionName;
        public IntPtr pHostName;
        public IntPtr pUserName;
        public IntPtr pDomainName;
        public IntPtr pFarmName;
    }

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    public struct WTSINFOW
    {
        public uint State;
        public uint SessionId;
        public uint IncomingBytes;
        public uint OutgoingBytes;
        public uint IncomingFrames;
        public uint OutgoingFrames;
        public uint IncomingCompressedBytes;
        public uint OutgoingCompressedBytes;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 32)] public string WinStationName;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 17)] public string Domain;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 21)] public string UserName;
        public long ConnectTime;
        public long DisconnectTime;
        public long LastInputTime;
        public long LogonTime;
        public long CurrentTime;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct WTS_CLIENT_ADDRESS
    {
        public uint AddressFamily;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 20)] public byte[] Address;
    }

    public static class WtsNative
    {
        public static readonly IntPtr WTS_CURRENT_SERVER_HANDLE = IntPtr.Zero;
        public const uint WTS_CURRENT_SESSION = 0xFFFFFFFF;
        public const int WTSTypeSessionInfoLevel1 = 2;
        public const int WTSSessionId = 4;
        public const int WTSClientName = 10;
        public const int WTSClientAddress = 14;
        public const int WTSClientProtocolType = 16;
        public const int WTSSessionInfo = 24;

        [DllImport("wtsapi32", EntryPoint = "WTSOpenServerExW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
        public static extern IntPtr WTSOpenServerExW(string pServerName);

        [DllImport("wtsapi32", EntryPoint = "WTSCloseServer", ExactSpelling = true, SetLastError = true)]
        public static extern void WTSCloseServer(IntPtr hServer);

        [DllImport("wtsapi32", EntryPoint = "WTSEnumerateSessionsExW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool WTSEnumerateSessionsExW(IntPtr hServer, ref uint pLevel, uint Filter, out IntPtr ppSessionInfo, out uint pCount);

        [DllImport("wtsapi32", EntryPoint = "WTSFreeMemoryExW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool WTSFreeMemoryExW(int WTSTypeClass, IntPtr pMemory, uint NumberOfEntries);

        [DllImport("wtsapi32", EntryPoint = "WTSQuerySessionInformationW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool WTSQuerySessionInformationW(IntPtr hServer, uint SessionId, int WTSInfoClass, out IntPtr ppBuffer, out uint pBytesReturned);

        [DllImport("wtsapi32", EntryPoint = "WTSFreeMemory", ExactSpelling = true, SetLastError = true)]
        public static extern void WTSFreeMemory(IntPtr pMemory);

        [DllImport("wtsapi32", EntryPoint = "WTSLogoffSession", ExactSpelling = true, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool WTSLogoffSession(IntPtr hServer, uint SessionId, [MarshalAs(UnmanagedType.Bool)] bool bWait);

        [DllImport("wtsapi32", EntryPoint = "WTSSendMessageW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool WTSSendMessageW(IntPtr hServer, uint SessionId, string pTitle, uint TitleLength, string pMessage, uint MessageLength,
            uint Style, uint Timeout, out uint pResponse, [MarshalAs(UnmanagedType.Bool)] bool bWait);
    }

    /// <summary>One session as JSON-ready data. Times are UTC ISO 8601 (null when the API gives 0).</summary>
    public class WtsSession
    {
        public long Id { get; set; }
        public long State { get; set; }
        public string SessionName { get; set; }
        public string UserName { get; set; }
        public string Domain { get; set; }
        public string ClientName { get; set; }
        public string ClientAddress { get; set; }
        public long? ClientProtocol { get; set; }
        public string LogonTime { get; set; }
        public string ConnectTime { get; set; }
        public string DisconnectTime { get; set; }
        public string LastInputTime { get; set; }
        public string CurrentTime { get; set; }
        /// <summary>Whole minutes from LastInputTime to the server's CurrentTime, rounded down; null without a last input.</summary>
        public long? IdleMinutes { get; set; }
    }

    /// <summary>What one call did: Win32Error 0 = success; Function names the call that failed.</summary>
    public class WtsResult
    {
        public bool Available { get; set; }
        public string Reason { get; set; }
        public long Win32Error { get; set; }
        public string Function { get; set; }
        public List<WtsSession> Sessions { get; set; }
        public long? CurrentSessionId { get; set; }
        public long? Response { get; set; }
    }

    public static class Wts
    {
        const long TicksPerMinute = 600000000L;

        static volatile bool linked;

        /// <summary>
        /// Loads the library and resolves every entry point without calling one (Marshal.Prelink), so an
        /// absent wtsapi32 or a missing export is found before anything is asked of a host. Any exception
        /// counts: where the normal search fails, PowerShell 7's own resolver for Add-Type assemblies (which
        /// have no file) throws ArgumentNullException rather than DllNotFoundException.
        /// </summary>
        public static WtsResult Probe()
        {
            if (linked) return new WtsResult { Available = true };
            try
            {
                foreach (var method in typeof(WtsNative).GetMethods())
                {
                    if (method.GetCustomAttributes(typeof(DllImportAttribute), false).Length > 0) Marshal.Prelink(method);
                }
                linked = true;
                return new WtsResult { Available = true };
            }
            catch (Exception e)
            {
                return new WtsResult { Available = false, Reason = "wtsapi32 could not be loaded (" + e.GetType().Name + ": " + e.Message + ")" };
            }
        }

        public static Task<WtsResult> SessionsAsync(string server) { return RunOnThread(() => Sessions(server)); }
        public static Task<WtsResult> LogoffAsync(string server, uint sessionId) { return RunOnThread(() => Logoff(server, sessionId)); }
        public static Task<WtsResult> MessageAsync(string server, uint sessionId, string title, string text, uint seconds)
        {
            return RunOnThread(() => Message(server, sessionId, title, text, seconds));
        }

        static WtsResult Failed(string function, int error)
        {
            return new WtsResult { Available = true, Function = function, Win32Error = error };
        }

        static Task<WtsResult> RunOnThread(Func<WtsResult> work)
        {
            var done = new TaskCompletionSource<WtsResult>();
            var thread = new Thread(() =>
            {
                try
                {
                    var probe = Probe();
                    done.SetResult(probe.Available ? work() : probe);
                }
                catch (Exception e) { done.SetException(e); }
            });
            thread.IsBackground = true;
            thread.Name = "session-logoff WTS call";
            thread.Start();
            return done.Task;
        }

        // "" is this machine (WTS_CURRENT_SERVER_HANDLE). WTSOpenServerExW does not fail for a bad name: it
        // returns a handle whose error shows on the first call that uses it (Microsoft's documentation).
        static IntPtr Open(string server)
        {
            return string.IsNullOrEmpty(server) ? WtsNative.WTS_CURRENT_SERVER_HANDLE : WtsNative.WTSOpenServerExW(server);
        }

        static void Close(IntPtr handle)
        {
            if (handle != WtsNative.WTS_CURRENT_SERVER_HANDLE) WtsNative.WTSCloseServer(handle);
        }

        static WtsResult Sessions(string server)
        {
            IntPtr handle = Open(server);
            try
            {
                uint level = 1;
                IntPtr info;
                uint count;
                if (!WtsNative.WTSEnumerateSessionsExW(handle, ref level, 0, out info, out count))
                {
                    return Failed("WTSEnumerateSessionsExW", Marshal.GetLastWin32Error());
                }
                var sessions = new List<WtsSession>();
                try
                {
                    int size = Marshal.SizeOf(typeof(WTS_SESSION_INFO_1W));
                    for (int i = 0; i < count; i++)
                    {
                        var row = (WTS_SESSION_INFO_1W)Marshal.PtrToStructure(new IntPtr(info.ToInt64() + (long)i * size), typeof(WTS_SESSION_INFO_1W));
                        sessions.Add(new WtsSession
                        {
                            Id = row.SessionId,
                            State = row.State,
                            SessionName = Marshal.PtrToStringUni(row.pSessionName),
                            UserName = Marshal.PtrToStringUni(row.pUserName),
                            Domain = Marshal.PtrToStringUni(row.pDomainName),
                        });
                    }
                }
                finally
                {
                    WtsNative.WTSFreeMemoryExW(WtsNative.WTSTypeSessionInfoLevel1, info, count);
                }
                // Per-session details: a session that ends between the enumeration and these queries keeps what
                // the enumeration said (7022 here is not an error of the host). Unverified: which classes a
                // listener or session 0 answers on a real host; a refused class leaves its fields null.
                foreach (var session in sessions) AddDetails(handle, session);
                long? current = null;
                if (handle == WtsNative.WTS_CURRENT_SERVER_HANDLE)
                {
                    // Microsoft: WTS_CURRENT_SESSION is valid only with WTS_CURRENT_SERVER_HANDLE. Unverified: the
                    // answer when PowerShell runs as a service (session 0 expected, which is never a target).
                    uint id;
                    if (QueryDword(handle, WtsNative.WTS_CURRENT_SESSION, WtsNative.WTSSessionId, out id)) current = id;
                }
                return new WtsResult { Available = true, Sessions = sessions, CurrentSessionId = current };
            }
            finally
            {
                Close(handle);
            }
        }

        static void AddDetails(IntPtr handle, WtsSession session)
        {
            uint id = (uint)session.Id;
            IntPtr buffer;
            uint bytes;
            if (WtsNative.WTSQuerySessionInformationW(handle, id, WtsNative.WTSSessionInfo, out buffer, out bytes))
            {
                try
                {
                    if (bytes >= Marshal.SizeOf(typeof(WTSINFOW)))
                    {
                        var info = (WTSINFOW)Marshal.PtrToStructure(buffer, typeof(WTSINFOW));
                        session.LogonTime = Iso(info.LogonTime);
                        session.ConnectTime = Iso(info.ConnectTime);
                        session.DisconnectTime = Iso(info.DisconnectTime);
                        session.LastInputTime = Iso(info.LastInputTime);
                        session.CurrentTime = Iso(info.CurrentTime);
                        if (info.LastInputTime > 0 && info.CurrentTime >= info.LastInputTime)
                        {
                            session.IdleMinutes = (info.CurrentTime - info.LastInputTime) / TicksPerMinute;
                        }
                    }
                }
                finally { WtsNative.WTSFreeMemory(buffer); }
            }
            session.ClientName = QueryString(handle, id, WtsNative.WTSClientName);
            session.ClientAddress = QueryAddress(handle, id);
            if (WtsNative.WTSQuerySessionInformationW(handle, id, WtsNative.WTSClientProtocolType, out buffer, out bytes))
            {
                try { if (bytes >= 2) session.ClientProtocol = (ushort)Marshal.ReadInt16(buffer); }
                finally { WtsNative.WTSFreeMemory(buffer); }
            }
        }

        static string Iso(long fileTime)
        {
            if (fileTime <= 0 || fileTime > DateTime.MaxValue.ToFileTimeUtc()) return null;
            return DateTime.FromFileTimeUtc(fileTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        static bool QueryDword(IntPtr handle, uint id, int infoClass, out uint value)
        {
            value = 0;
            IntPtr buffer;
            uint bytes;
            if (!WtsNative.WTSQuerySessionInformationW(handle, id, infoClass, out buffer, out bytes)) return false;
            try
            {
                if (bytes < 4) return false;
                value = (uint)Marshal.ReadInt32(buffer);
                return true;
            }
            finally { WtsNative.WTSFreeMemory(buffer); }
        }

        static string QueryString(IntPtr handle, uint id, int infoClass)
        {
            IntPtr buffer;
            uint bytes;
            if (!WtsNative.WTSQuerySessionInformationW(handle, id, infoClass, out buffer, out bytes)) return null;
            try
            {
                if (bytes < 2) return null;
                // The byte count includes the terminating NUL; never read past it.
                return Marshal.PtrToStringUni(buffer, (int)(bytes / 2)).TrimEnd('\0');
            }
            finally { WtsNative.WTSFreeMemory(buffer); }
        }

        // WTS_CLIENT_ADDRESS: AF_INET (2) keeps the IPv4 bytes at Address[2..5] (Microsoft's documentation).
        // Unverified: AF_INET6 (23) with the 16 bytes at Address[0..15]; other families give null.
        static string QueryAddress(IntPtr handle, uint id)
        {
            IntPtr buffer;
            uint bytes;
            if (!WtsNative.WTSQuerySessionInformationW(handle, id, WtsNative.WTSClientAddress, out buffer, out bytes)) return null;
            try
            {
                if (bytes < Marshal.SizeOf(typeof(WTS_CLIENT_ADDRESS))) return null;
                var address = (WTS_CLIENT_ADDRESS)Marshal.PtrToStructure(buffer, typeof(WTS_CLIENT_ADDRESS));
                if (address.AddressFamily == 2)
                {
                    return new System.Net.IPAddress(new byte[] { address.Address[2], address.Address[3], address.Address[4], address.Address[5] }).ToString();
                }
                if (address.AddressFamily == 23)
                {
                    var v6 = new byte[16];
                    Array.Copy(address.Address, 0, v6, 0, 16);
                    return new System.Net.IPAddress(v6).ToString();
                }
                return null;
            }
            finally { WtsNative.WTSFreeMemory(buffer); }
        }

        // bWait = TRUE: Microsoft documents that the call returns when the logoff has completed. We still verify
        // by querying again (the caller does), as for logoff.exe.
        static WtsResult Logoff(string server, uint sessionId)
        {
            IntPtr handle = Open(server);
            try
            {
                if (!WtsNative.WTSLogoffSession(handle, sessionId, true)) return Failed("WTSLogoffSession", Marshal.GetLastWin32Error());
                return new WtsResult { Available = true };
            }
            finally { Close(handle); }
        }

        // Lengths are in BYTES (Microsoft: TitleLength / MessageLength), UTF-16 without the NUL. bWait = FALSE:
        // the box stays up for `seconds` (0 = until the user closes it) and the call answers IDASYNC (32001) at
        // once. Style 0 = MB_OK. Unverified: IDASYNC and a 0 timeout on a real host (documented, not observed);
        // the response is not relied on, only the call's success.
        static WtsResult Message(string server, uint sessionId, string title, string text, uint seconds)
        {
            IntPtr handle = Open(server);
            try
            {
                uint response;
                if (!WtsNative.WTSSendMessageW(handle, sessionId, title, (uint)title.Length * 2, text, (uint)text.Length * 2, 0, seconds, out response, false))
                {
                    return Failed("WTSSendMessageW", Marshal.GetLastWin32Error());
                }
                return new WtsResult { Available = true, Response = response };
            }
            finally { Close(handle); }
        }
    }
}
