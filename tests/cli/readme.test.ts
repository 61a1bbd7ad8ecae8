/**
 * The README's `npx locus segment` (a PNG and a DICOM) and `bench` examples, run exactly as written (through
 * bin/locus.mjs, which `npx locus` runs) from the repository root: they succeed and write only
 * under out/, which git ignores, so a fresh clone stays clean.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The `npx locus <command>` invocations of the README's sh blocks, continuation lines joined. */
function examples(command: string): string[][] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\\\n\s*/g, ''));
  const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => l.startsWith(`npx locus ${command} `));
  return lines.map((line) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(2));
}

describe('README examples', () => {
  it.each([
    ['segment', 0],
    ['segment', 1],
    ['bench', 0],
  ] as const)('npx locus %s (example %i) runs as written and writes under out/ only', async (command, index) => {
    const found = examples(command);
    expect(found.length, `the README shows npx locus ${command} example ${index + 1}`).toBeGreaterThan(index);
    const argv = found[index]!;
    const outputs = argv.filter((a, i) => ['--out', '--json', '--csv', '--seg'].includes(argv[i - 1] ?? ''));
    expect(outputs.length).toBeGreaterThan(0);
    for (const file of outputs) expect(file.startsWith('out/'), `${file} is under out/`).toBe(true);
    const fresh = outputs.filter((file) => !existsSync(path.join(ROOT, file)));
    try {
      await run(process.execPath, ['bin/locus.mjs', ...argv], { cwd: ROOT });
      for (const file of outputs) expect(existsSync(path.join(ROOT, file))).toBe(true);
    } finally {
      for (const file of fresh) rmSync(path.join(ROOT, file), { force: true });
    }
  }, 180_000);

  it('makes the data folder its eval example reads', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const evalData = /npx locus eval --bundle \S+ --data (\S+)/.exec(readme)?.[1];
    expect(evalData).toBe('models/data-gen/synth-cxr/test');
    expect(readme).toContain('(cd models && /usr/bin/python3 -m locus.synth --out data-gen/synth-cxr/test --split test --n 500)');
  });
});
