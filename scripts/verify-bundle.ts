/**
 * Checks an exported model bundle against its own manifest, on CPU with onnxruntime-node:
 * schema, file sizes and hashes, session input/output names, and every fixture case
 * re-run and compared with the outputs PyTorch recorded.
 *
 * usage: tsx scripts/verify-bundle.ts <bundleDir> [--tol 1e-4] [--json out.json]
 * Exits 1 on any failure; prints one line per failure.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import {
  compareTensors,
  loadFixtureTensor,
  parseFixtureIndex,
  planGraphCase,
  type FixtureCase,
  type FixtureTensorRef,
  type HostTensor,
  type ReadBytes,
} from '../src/runtime/fixtures';
import { GRAPH_NAMES, type GraphName, type Manifest, type TensorDType } from '../src/pipeline/index';
import { validateManifest } from '../src/runtime/manifest';

interface CliOptions {
  bundleDir: string;
  tol: number;
  jsonOut: string | undefined;
}

interface ComparisonRow {
  case: string;
  graph: GraphName;
  output: string;
  shape: string;
  maxAbsDiff: number;
  ok: boolean;
}

interface VerifyReport {
  bundle: string;
  tol: number;
  ok: boolean;
  failures: string[];
  skipped: { case: string; graph: GraphName }[];
  rows: ComparisonRow[];
}

type Sessions = Map<GraphName, ort.InferenceSession>;

function fail(report: VerifyReport, message: string): void {
  report.failures.push(message);
  console.log(`FAIL ${message}`);
}

function parseCli(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { tol: { type: 'string', default: '1e-4' }, json: { type: 'string' } },
  });
  const tol = Number(values.tol);
  if (positionals.length !== 1 || !Number.isFinite(tol) || tol < 0) {
    throw new Error('usage: tsx scripts/verify-bundle.ts <bundleDir> [--tol 1e-4] [--json out.json]');
  }
  return { bundleDir: path.resolve(positionals[0] ?? ''), tol, jsonOut: values.json };
}

/** Reads bundle-relative paths, refusing any that resolve outside the bundle folder. */
function bundleReader(bundleDir: string): ReadBytes {
  return async (relativePath) => {
    const full = path.resolve(bundleDir, relativePath);
    if (!full.startsWith(bundleDir + path.sep)) throw new Error(`path leaves the bundle: ${relativePath}`);
    const bytes = await readFile(full);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
}

async function readJson(read: ReadBytes, relativePath: string): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await read(relativePath))) as unknown;
}

async function loadManifest(read: ReadBytes, report: VerifyReport): Promise<Manifest | undefined> {
  const result = validateManifest(await readJson(read, 'manifest.json'));
  if (!result.ok) {
    for (const error of result.errors) fail(report, `manifest ${error}`);
    return undefined;
  }
  return result.manifest;
}

function sha256(bytes: ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(bytes)).digest('hex');
}

async function checkFile(
  read: ReadBytes,
  report: VerifyReport,
  label: string,
  file: string,
  expect: { sha256: string; bytes?: number },
): Promise<void> {
  let bytes: ArrayBuffer;
  try {
    bytes = await read(file);
  } catch (error) {
    fail(report, `${label}: cannot read ${file}: ${String(error)}`);
    return;
  }
  if (expect.bytes !== undefined && bytes.byteLength !== expect.bytes) {
    fail(report, `${label}: ${file} has ${bytes.byteLength} bytes, manifest says ${expect.bytes}`);
  }
  const actual = sha256(bytes);
  if (actual !== expect.sha256) fail(report, `${label}: ${file} sha256 ${actual}, manifest says ${expect.sha256}`);
}

async function checkFiles(manifest: Manifest, read: ReadBytes, report: VerifyReport): Promise<void> {
  for (const name of GRAPH_NAMES) {
    const graph = manifest.graphs[name];
    await checkFile(read, report, `graph ${name}`, graph.file, graph);
  }
  const { vocab_file, vocab_sha256 } = manifest.tokenizer;
  await checkFile(read, report, 'tokenizer vocab', vocab_file, { sha256: vocab_sha256 });
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Names must match in order; dtypes and numeric dims must match where the graph declares them. */
function checkSessionContract(name: GraphName, manifest: Manifest, session: ort.InferenceSession, report: VerifyReport) {
  const graph = manifest.graphs[name];
  const sides = [
    { role: 'inputs', specs: graph.inputs, names: session.inputNames, metadata: session.inputMetadata },
    { role: 'outputs', specs: graph.outputs, names: session.outputNames, metadata: session.outputMetadata },
  ];
  for (const { role, specs, names, metadata } of sides) {
    const wanted = specs.map((s) => s.name);
    if (!sameList(names, wanted)) {
      fail(report, `graph ${name}: session ${role} [${names.join(', ')}], manifest [${wanted.join(', ')}]`);
      continue;
    }
    specs.forEach((spec, i) => {
      const meta = metadata[i];
      if (meta === undefined || !meta.isTensor) return;
      // A symbolic dim (string) is accepted: the manifest pins the size the exporter used.
      const dimsAgree =
        meta.shape.length === spec.shape.length &&
        meta.shape.every((d, j) => typeof d === 'string' || d === spec.shape[j]);
      if (meta.type !== spec.dtype || !dimsAgree) {
        fail(
          report,
          `graph ${name}: ${spec.name} is ${meta.type}[${meta.shape.join(',')}] in the graph, ` +
            `${spec.dtype}[${spec.shape.join(',')}] in the manifest`,
        );
      }
    });
  }
}

async function openSessions(manifest: Manifest, bundleDir: string, report: VerifyReport): Promise<Sessions> {
  const sessions: Sessions = new Map();
  for (const name of GRAPH_NAMES) {
    const file = path.resolve(bundleDir, manifest.graphs[name].file);
    try {
      const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'] });
      sessions.set(name, session);
      checkSessionContract(name, manifest, session, report);
    } catch (error) {
      fail(report, `graph ${name}: cannot create session: ${String(error)}`);
    }
  }
  return sessions;
}

const ORT_DTYPES: readonly string[] = ['float32', 'int64', 'int32', 'uint8', 'bool'] satisfies TensorDType[];

function toHost(tensor: ort.Tensor): HostTensor | undefined {
  if (!ORT_DTYPES.includes(tensor.type)) return undefined;
  return { dtype: tensor.type as TensorDType, shape: [...tensor.dims], data: tensor.data as HostTensor['data'] };
}

async function runGraphCase(
  ctx: { read: ReadBytes; tol: number; report: VerifyReport },
  fixture: FixtureCase,
  name: GraphName,
  session: ort.InferenceSession,
  refs: { inputs: Record<string, FixtureTensorRef>; expected: Record<string, FixtureTensorRef> },
): Promise<void> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [inputName, ref] of Object.entries(refs.inputs)) {
    const host = await loadFixtureTensor(ctx.read, ref);
    feeds[inputName] = new ort.Tensor(host.dtype, host.data, host.shape);
  }
  // in: the manifest's inputs of this graph, dtypes and shapes as declared there
  // out: the manifest's outputs, compared one by one with the recorded PyTorch values
  const outputs = await session.run(feeds);
  for (const [outputName, ref] of Object.entries(refs.expected)) {
    const expected = await loadFixtureTensor(ctx.read, ref);
    const produced = outputs[outputName];
    const actual = produced === undefined ? undefined : toHost(produced);
    const where = `case ${fixture.id} graph ${name} output ${outputName}`;
    if (actual === undefined) {
      fail(ctx.report, `${where}: not produced as a supported tensor`);
      continue;
    }
    const cmp = compareTensors(expected, actual);
    const ok = cmp.shapeMatches && cmp.dtypeMatches && cmp.maxAbsDiff <= ctx.tol;
    const shape = `[${actual.shape.join(',')}]`;
    ctx.report.rows.push({ case: fixture.id, graph: name, output: outputName, shape, maxAbsDiff: cmp.maxAbsDiff, ok });
    if (!cmp.shapeMatches) fail(ctx.report, `${where}: shape ${shape}, expected [${expected.shape.join(',')}]`);
    else if (!cmp.dtypeMatches) fail(ctx.report, `${where}: dtype ${actual.dtype}, expected ${expected.dtype}`);
    else if (!ok) fail(ctx.report, `${where}: max abs diff ${cmp.maxAbsDiff.toExponential(3)} > tol ${ctx.tol}`);
  }
}

async function runFixtures(manifest: Manifest, sessions: Sessions, read: ReadBytes, tol: number, report: VerifyReport) {
  if (manifest.fixtures === null) {
    console.log('note: manifest has no fixtures; no outputs compared');
    return;
  }
  const index = parseFixtureIndex(await readJson(read, manifest.fixtures.index));
  if (index.cases.length === 0) fail(report, 'fixture index lists no cases');
  for (const fixture of index.cases) {
    for (const name of GRAPH_NAMES) {
      const plan = planGraphCase(fixture, name, manifest.graphs[name]);
      const session = sessions.get(name);
      if (plan.kind === 'skip') {
        report.skipped.push({ case: fixture.id, graph: name });
      } else if (plan.kind === 'error') {
        fail(report, `case ${fixture.id} graph ${name}: ${plan.message}`);
      } else if (session !== undefined) {
        try {
          await runGraphCase({ read, tol, report }, fixture, name, session, plan);
        } catch (error) {
          fail(report, `case ${fixture.id} graph ${name}: ${String(error)}`);
        }
      }
    }
  }
}

function printTable(rows: ComparisonRow[], skipped: VerifyReport['skipped']): void {
  const header = ['case', 'graph', 'output', 'shape', 'max abs diff', 'result'];
  const cells = rows.map((r) => [r.case, r.graph, r.output, r.shape, r.maxAbsDiff.toExponential(3), r.ok ? 'ok' : 'FAIL']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(['', line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'));
  for (const s of skipped) console.log(`skipped: case ${s.case} graph ${s.graph} (none of its inputs in the fixture)`);
}

async function verify(options: CliOptions): Promise<VerifyReport> {
  const report: VerifyReport = {
    bundle: options.bundleDir,
    tol: options.tol,
    ok: false,
    failures: [],
    skipped: [],
    rows: [],
  };
  const read = bundleReader(options.bundleDir);
  try {
    const manifest = await loadManifest(read, report);
    if (manifest !== undefined) {
      console.log(`bundle ${manifest.bundle_id} (${manifest.modality}), onnxruntime-node ${ort.env.versions.common}`);
      await checkFiles(manifest, read, report);
      const sessions = await openSessions(manifest, options.bundleDir, report);
      await runFixtures(manifest, sessions, read, options.tol, report);
      await Promise.all([...sessions.values()].map((s) => s.release()));
      printTable(report.rows, report.skipped);
    }
  } catch (error) {
    fail(report, String(error));
  }
  report.ok = report.failures.length === 0;
  return report;
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  const report = await verify(options);
  if (options.jsonOut !== undefined) await writeFile(options.jsonOut, JSON.stringify(report, null, 2) + '\n');
  console.log(report.ok ? '\nbundle OK' : `\nbundle FAILED: ${report.failures.length} failure(s)`);
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
