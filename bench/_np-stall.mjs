import { PowerShell } from 'node-powershell';
import { encodePayload, psScriptPath } from '/work/main/dist/run/ps-scripts.js';
const N = Number(process.argv[2] ?? 400);
let shell = new PowerShell({ executable: '/work/main/.tools/pwsh', executableOptions: { '-NoProfile': true, '-NonInteractive': true }, throwOnInvocationError: false });
await shell.invoke(`. '${psScriptPath('SessionLogoff.ps1')}'`);
let stalls = 0; const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const cmd = i % 2 === 0 ? `Invoke-SlCommand -Payload '${encodePayload({ fn: 'ping' })}'` : `Invoke-SlCommand -Payload '${encodePayload({ fn: 'logoff', sessionId: 0 })}'`;
  const r = await Promise.race([shell.invoke(cmd).then(() => 'ok'), new Promise((r) => setTimeout(() => r('stall'), 5000))]);
  if (r === 'stall') { stalls++; console.log('stall at', i); await shell.dispose('SIGKILL').catch(() => {}); shell = new PowerShell({ executable: '/work/main/.tools/pwsh', executableOptions: { '-NoProfile': true, '-NonInteractive': true }, throwOnInvocationError: false }); await shell.invoke(`. '${psScriptPath('SessionLogoff.ps1')}'`); }
}
console.log({ N, stalls, ms: Date.now() - t0 });
await shell.dispose();
