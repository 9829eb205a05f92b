import assert from 'node:assert/strict';
import { resolveSystemProgram } from '../../../src/commands/system-path.js';

describe('resolveSystemProgram', () => {
  it('uses the absolute System32 path on Windows, never PATH', () => {
    assert.equal(resolveSystemProgram('quser', { platform: 'win32', env: { SystemRoot: 'D:\\WIN', PATH: 'C:\\evil' }, arch: 'x64' }), 'D:\\WIN\\System32\\quser.exe');
  });
  it('reads SystemRoot case-insensitively and falls back to windir, then C:\\Windows', () => {
    assert.equal(resolveSystemProgram('msg', { platform: 'win32', env: { SYSTEMROOT: 'E:\\W' } }), 'E:\\W\\System32\\msg.exe');
    assert.equal(resolveSystemProgram('msg', { platform: 'win32', env: { windir: 'F:\\W' } }), 'F:\\W\\System32\\msg.exe');
    assert.equal(resolveSystemProgram('msg', { platform: 'win32', env: {} }), 'C:\\Windows\\System32\\msg.exe');
  });
  it('uses Sysnative for a 32-bit process on 64-bit Windows', () => {
    const env = { SystemRoot: 'C:\\Windows', PROCESSOR_ARCHITEW6432: 'AMD64' };
    assert.equal(resolveSystemProgram('logoff', { platform: 'win32', env, arch: 'ia32' }), 'C:\\Windows\\Sysnative\\logoff.exe');
    assert.equal(resolveSystemProgram('logoff', { platform: 'win32', env, arch: 'x64' }), 'C:\\Windows\\System32\\logoff.exe');
  });
  it('uses the bare name elsewhere', () => {
    for (const platform of ['linux', 'darwin'] as const) assert.equal(resolveSystemProgram('qwinsta', { platform, env: { SystemRoot: 'C:\\Windows' } }), 'qwinsta');
  });
});
