/**
 * The bad-input corpus (tests/fixtures/bad-inputs/corpus.json) through the CLI: every image,
 * report and bundle kind through `locus segment`, every image and ground-truth kind through
 * `locus eval`. Refused kinds exit 1 (segment) or become a case error (eval) whose one line names
 * the file and contains the corpus's message; warned kinds print their warnings on stderr and
 * eval records them per case; accepted kinds say nothing.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/index';
import type { EvalCaseResult } from '../../src/runtime/evaluate';
import { cliMessage, corpus, corpusBytes, corpusPath, editedBundle, kinds, type Kind } from '../fixtures/bad-inputs/corpus';
import { tempDir, writeReportsCsv } from './lvit-folder';
import { locus } from './run-locus';

const BUNDLE = path.resolve(corpus.base.bundle);
const REPORT = corpusPath(corpus.base.report);
const scratch = tempDir('corpus');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function segment(image: string, report = REPORT, bundle = BUNDLE) {
  const out = path.join(scratch, 'mask.png');
  return locus('segment', '--bundle', bundle, '--image', image, '--report-file', report, '--out', out);
}

/** The warning lines segment printed about `file`. */
function warningsAbout(err: string, file: string): string[] {
  return err.split('\n').filter((line) => line.startsWith(`locus segment: warning: ${file}: `));
}

function expectOutcome(kind: Kind, run: { code: number; err: string }, file: string): void {
  const warnings = warningsAbout(run.err, file);
  if (kind.outcome === 'refused') {
    expect(run.code, run.err).toBe(1);
    expect(run.err.split('\n')).toHaveLength(1);
    expect(run.err).toMatch(new RegExp(`^locus segment: error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(run.err).toContain(cliMessage(kind));
    return;
  }
  expect(run.code, run.err).toBe(0);
  expect(warnings).toHaveLength(kind.warnings?.length ?? 0);
  if (kind.message !== undefined && kind.outcome === 'warned') expect(warnings.join('\n')).toContain(kind.message);
}

describe('the corpus', () => {
  it('has at least 35 kinds, each with an outcome, and refusals and warnings say what to expect', () => {
    expect(corpus.kinds.length).toBeGreaterThanOrEqual(35);
    expect(new Set(corpus.kinds.map((k) => k.id)).size).toBe(corpus.kinds.length);
    for (const kind of corpus.kinds) {
      expect(kind.about, kind.id).toBeTruthy();
      if (kind.input === 'action') continue;
      expect(['refused', 'warned', 'accepted'], kind.id).toContain(kind.outcome);
      if (kind.outcome !== 'accepted') expect(kind.message, kind.id).toBeTruthy();
      if (kind.outcome === 'warned') expect(kind.warnings?.length, kind.id).toBeGreaterThan(0);
      if (kind.input === 'bundle') expect(kind.edits ?? kind.url, kind.id).toBeDefined();
      else expect(existsSync(corpusPath(kind.file!)), kind.file).toBe(true);
    }
  });

  it('uses every file make_corpus.py wrote', () => {
    const used = new Set([
      ...corpus.kinds.flatMap((k) => (k.file ? [k.file] : [])),
      ...corpus.kinds.flatMap((k) => (k.edits ?? []).flatMap((e) => ('with' in e ? [e.with] : []))),
      corpus.base.image,
      corpus.base.mask,
      corpus.base.report,
    ]);
    const written = ['images', 'truth', 'reports', 'bundles'].flatMap((d) => readdirSync(corpusPath(d)).map((f) => `${d}/${f}`));
    expect(written.filter((f) => !used.has(f))).toEqual([]);
  });
});

describe('locus segment on the corpus', () => {
  it.each(kinds('image').map((k) => [k.id, k] as const))('image %s', async (_, kind) => {
    const file = corpusPath(kind.file!);
    expectOutcome(kind, await segment(file), file);
  }, 60_000);

  it.each(kinds('report').map((k) => [k.id, k] as const))('report %s', async (_, kind) => {
    const file = corpusPath(kind.file!);
    expectOutcome(kind, await segment(corpusPath(corpus.base.image), file), file);
  }, 60_000);

  it.each(kinds('bundle').filter((k) => k.cli !== false).map((k) => [k.id, k] as const))('bundle %s', async (_, kind) => {
    const dir = path.join(scratch, kind.id);
    for (const [name, bytes] of editedBundle(BUNDLE, kind.edits!)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), bytes);
    }
    const run = await segment(corpusPath(corpus.base.image), REPORT, dir);
    expect(run.code, run.err).toBe(1);
    expect(run.err.split('\n')).toHaveLength(1);
    expect(run.err).toContain(cliMessage(kind));
  }, 60_000);
});

/** An LViT folder whose cases are the kinds (image and mask from `files`), through eval; its rows by case id. */
async function evaluate(name: string, cases: Kind[], files: (kind: Kind) => { image: Buffer; mask: Buffer; ext: string }) {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, 'images'), { recursive: true });
  mkdirSync(path.join(root, 'masks'), { recursive: true });
  for (const kind of cases) {
    const { image, mask, ext } = files(kind);
    writeFileSync(path.join(root, 'images', `${kind.id}${ext}`), image);
    writeFileSync(path.join(root, 'masks', `${kind.id}${kind.input === 'truth' ? path.extname(kind.file!) : '.png'}`), mask);
  }
  const report = readFileSync(REPORT, 'utf8');
  writeReportsCsv(root, cases.map((k) => [k.id, report]));
  const out = path.join(root, 'results.json');
  const run = await locus('eval', '--bundle', BUNDLE, '--data', root, '--out', out);
  const rows = (JSON.parse(readFileSync(out, 'utf8')) as { cases: EvalCaseResult[] }).cases;
  return { run, rows: new Map(rows.map((r) => [r.id, r])) };
}

/** A blank mask of the image's size, so only the image's own outcome shows (and a truth-empty warning on the mask). */
function blankMaskFor(image: Buffer): Buffer {
  try {
    const { width, height } = decodeImage(new Uint8Array(image));
    return Buffer.from(encodePng({ width, height, data: new Uint8Array(width * height), channels: 1, depth: 8 }));
  } catch {
    return corpusBytes(corpus.base.mask);
  }
}

describe('locus eval on the corpus', () => {
  let images: Awaited<ReturnType<typeof evaluate>>;
  let truths: Awaited<ReturnType<typeof evaluate>>;
  beforeAll(async () => {
    images = await evaluate('images', kinds('image'), (kind) => {
      const image = corpusBytes(kind.file!);
      return { image, mask: blankMaskFor(image), ext: path.extname(kind.file!) };
    });
    truths = await evaluate('truth', kinds('truth'), (kind) => ({
      image: corpusBytes(corpus.base.image),
      mask: corpusBytes(kind.file!),
      ext: '.png',
    }));
  }, 300_000);

  it('exits 3 when refused cases could not be scored, and prints each warning', () => {
    for (const { run } of [images, truths]) {
      expect(run.code).toBe(3);
      expect(run.err).toMatch(/^warning: .*: /m);
    }
  });

  it.each(kinds('image').map((k) => [k.id, k] as const))('image %s', (id, kind) => {
    const row = images.rows.get(id)!;
    const own = row.warnings.filter((w) => path.basename(path.dirname(w.file)) === 'images');
    if (kind.outcome === 'refused') {
      expect(row.error).toContain(`images${path.sep}${id}`);
      expect(row.error).toContain(cliMessage(kind));
    } else {
      expect(row.error).toBeNull();
      expect(own.map((w) => w.code)).toEqual(kind.warnings ?? []);
    }
  });

  it.each(kinds('truth').map((k) => [k.id, k] as const))('ground truth %s', (id, kind) => {
    const row = truths.rows.get(id)!;
    if (kind.outcome === 'refused') {
      expect(row.error).toContain(`masks${path.sep}${id}`);
      expect(row.error).toContain(cliMessage(kind));
      return;
    }
    expect(row.error).toBeNull();
    expect(row.dice).not.toBeNull();
    expect(row.warnings.map((w) => w.code)).toEqual(kind.warnings ?? []);
    if (kind.outcome === 'warned') expect(row.warnings.map((w) => w.message).join(' ')).toContain(kind.message);
  });
});
