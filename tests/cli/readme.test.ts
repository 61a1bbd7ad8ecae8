/**
 * The README's `npx locus segment` (a PNG and a DICOM) and `bench` examples, run exactly as written (through
 * bin/locus.mjs, which `npx locus` runs) from the repository root: they succeed and write only
 * under out/, which git ignores, so a fresh clone stays clean. Its `eval` examples (one of them a
 * sweep) run as written on the first cases of the synthetic split (`--cases` added: all 500 take
 * minutes), after the README's own line that makes the split, when it is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SPLIT = 'models/data-gen/synth-cxr/test';
const run = promisify(execFile);
const readme = () => readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The files an example writes (its --out, --json, --csv and --seg arguments). */
const outputsOf = (argv: string[]) => argv.filter((a, i) => ['--out', '--json', '--csv', '--seg'].includes(argv[i - 1] ?? ''));

/** The `npx locus <command>` invocations of the README's sh blocks, continuation lines joined. */
function examples(command: string): string[][] {
  const blocks = [...readme().matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\\\n\s*/g, ''));
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
    const outputs = outputsOf(argv);
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

  it('makes the data folder its eval examples read, and they run as written on its first cases', async () => {
    const synth = '(cd models && /usr/bin/python3 -m locus.synth --out data-gen/synth-cxr/test --split test --n 500)';
    expect(readme()).toContain(synth);
    if (!existsSync(path.join(ROOT, SPLIT, 'reports.csv'))) await run('bash', ['-c', synth], { cwd: ROOT });
    const found = examples('eval');
    expect(found.map((argv) => argv[argv.indexOf('--data') + 1])).toEqual([SPLIT, SPLIT]);
    expect(found.filter((argv) => argv.includes('--sweep')), 'one of them a sweep').toHaveLength(1);
    const scratch = mkdtempSync(path.join(tmpdir(), 'locus-readme-'));
    const ids = path.join(scratch, 'first.txt');
    const firstCases = ['synth_test_00002', 'synth_test_00003', 'synth_test_00004'];
    writeFileSync(ids, firstCases.join('\n') + '\n');
    try {
      for (const argv of found) {
        const outputs = outputsOf(argv);
        for (const file of outputs) expect(file.startsWith('out/'), `${file} is under out/`).toBe(true);
        const fresh = outputs.filter((file) => !existsSync(path.join(ROOT, file)));
        try {
          await run(process.execPath, ['bin/locus.mjs', ...argv, '--cases', ids], { cwd: ROOT });
          const results = outputs.find((file) => file.endsWith('.json')) ?? path.join(outputs[0]!, 'prompts-all.json');
          const written = JSON.parse(readFileSync(path.join(ROOT, results), 'utf8')) as { cases: { id: string }[] };
          expect(written.cases.map((c) => c.id)).toEqual(firstCases);
        } finally {
          for (const file of fresh) rmSync(path.join(ROOT, file), { recursive: true, force: true });
        }
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 600_000);
});
