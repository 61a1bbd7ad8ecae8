/**
 * scripts/studio.sh and setup.sh in a scratch copy, with fakes for dpkg-query, npm and npx on
 * PATH: npm ci runs on the first launch and not again until package-lock.json changes, and vite
 * gets --open only where there is a display.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const root = mkdtempSync(path.join(tmpdir(), 'locus-studio-sh-'));
const bin = path.join(root, 'fake-bin');
const log = path.join(root, 'calls');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fake(name: string, body: string): void {
  writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> ${log}\n${body}\n`);
  chmodSync(path.join(bin, name), 0o755);
}

mkdirSync(bin);
cpSync(path.join(REPO, 'scripts'), path.join(root, 'scripts'), { recursive: true });
cpSync(path.join(REPO, 'package-lock.json'), path.join(root, 'package-lock.json'));
fake('dpkg-query', "printf 'install ok installed'");
fake('npm', 'mkdir -p node_modules');
fake('npx', 'true');

function launch(display: string | undefined): string[] {
  rmSync(log, { force: true });
  const env: Record<string, string> = { PATH: `${bin}:${process.env['PATH']}`, HOME: root };
  if (display !== undefined) env['DISPLAY'] = display;
  const result = spawnSync('bash', [path.join(root, 'scripts/studio.sh')], { env, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

describe('scripts/studio.sh', () => {
  it('installs npm packages on the first launch only, and opens no browser without a display', () => {
    const first = launch(undefined);
    expect(first.filter((c) => c.startsWith('npm ci'))).toHaveLength(1);
    expect(first.at(-1)).toBe('npx vite');
    const second = launch(undefined);
    expect(second.filter((c) => c.startsWith('npm '))).toEqual([]);
  });

  it('opens the browser where there is a display', () => {
    expect(launch(':0').at(-1)).toBe('npx vite --open');
  });

  it('installs again when package-lock.json changed', () => {
    writeFileSync(path.join(root, 'package-lock.json'), `${readFileSync(path.join(root, 'package-lock.json'), 'utf8')}\n`);
    expect(launch(undefined).filter((c) => c.startsWith('npm ci'))).toHaveLength(1);
  });
});
