/**
 * scripts/lib/apt.sh against a fake apt-get on PATH: it waits while another package manager holds
 * the lock and then succeeds, gives up after APT_LOCK_WAIT with apt's message, fails at once on
 * other errors, and installs without recommended packages.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LIB = path.resolve(import.meta.dirname, '../../scripts/lib/apt.sh');
const dir = mkdtempSync(path.join(tmpdir(), 'locus-apt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake apt-get that fails with `message` the first `failures` times, logging every call's arguments. */
function fakeApt(failures: number, message: string): string {
  const bin = mkdtempSync(path.join(dir, 'bin-'));
  const script = `#!/usr/bin/env bash
echo "$*" >> "${bin}/calls"
n=$(cat "${bin}/count" 2>/dev/null || echo 0); echo $((n + 1)) > "${bin}/count"
if [ "$n" -lt ${failures} ]; then echo "${message}" >&2; exit 100; fi
echo installed`;
  writeFileSync(path.join(bin, 'apt-get'), script);
  chmodSync(path.join(bin, 'apt-get'), 0o755);
  // Root or not, run the fake directly: sudo would not see it.
  writeFileSync(path.join(bin, 'sudo'), '#!/usr/bin/env bash\nexec "$@"\n');
  chmodSync(path.join(bin, 'sudo'), 0o755);
  return bin;
}

function run(bin: string, command: string, wait = 600) {
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH']}`, APT_LOCK_WAIT: String(wait), APT_RETRY_EVERY: '0' };
  const result = spawnSync('bash', ['-c', `source ${LIB}; ${command}`], { env, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, calls: readFileSync(path.join(bin, 'calls'), 'utf8').trim().split('\n') };
}

const LOCKED = 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)';

describe('scripts/lib/apt.sh', () => {
  it('waits while the lock is held, then installs without recommended packages', () => {
    const bin = fakeApt(3, LOCKED);
    const result = run(bin, 'apt_install chromium');
    expect(result.status).toBe(0);
    expect(result.calls).toHaveLength(4);
    expect(result.calls.at(-1)).toBe('-o DPkg::Lock::Timeout=60 install -y -qq --no-install-recommends chromium');
    expect(result.stderr).toMatch(/another package manager holds the apt lock; waiting/);
  });

  it('gives up after APT_LOCK_WAIT with apt\'s own message', () => {
    const result = run(fakeApt(100, LOCKED), 'apt_get update -qq', 0);
    expect(result.status).toBe(100);
    expect(result.stderr).toContain('Could not get lock');
    expect(result.calls).toHaveLength(1);
  });

  it('fails at once on any other error', () => {
    const result = run(fakeApt(1, 'E: Unable to locate package chromiumm'), 'apt_install chromiumm');
    expect(result.status).toBe(100);
    expect(result.calls).toHaveLength(1);
    expect(result.stderr).toContain('Unable to locate package');
  });
});
