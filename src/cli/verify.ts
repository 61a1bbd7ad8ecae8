/**
 * `locus verify BUNDLE`: checks a bundle folder against its own manifest with the runtime's own
 * code on its node backend: the manifest against the schema and this pipeline's constants
 * (runtime/manifest.ts), every file's size and sha256 (runtime/bundle.ts), each session's input
 * and output names, dtypes and dims (runtime/sessions.ts), then every fixture case graph by graph
 * against the outputs PyTorch recorded (max abs diff <= --tol x max(1, largest |expected|)). Each failure is one line; the
 * checks go on after a failure so one run lists them all.
 */
import path from 'node:path';
import { GRAPH_NAMES, type GraphName, type Manifest, type TensorDType } from '../pipeline/index';
import { readManifest, readVerified, sourceReader, type ReadFile } from '../runtime/bundle';
import { fsBundleSource } from '../runtime/bundle-node';
import { disposeAll, type Fetches, type Feeds, type OrtBackend, type RuntimeSession, type RuntimeTensor } from '../runtime/ort';
import { createNodeBackend } from '../runtime/ort-node';
import { checkSessionContract } from '../runtime/sessions';
import { executionProvider, numberOption, optionalString, parseCommandArgs, UsageError } from './args';
import {
  compareTensors,
  loadFixtureTensor,
  parseFixtureIndex,
  planGraphCase,
  type FixtureCase,
  type FixtureTensorRef,
  type HostTensor,
} from './fixtures';
import { formatTable, writeJson } from './output';

interface ComparisonRow {
  case: string;
  graph: GraphName;
  output: string;
  shape: string;
  maxAbsDiff: number;
  /** tol x max(1, largest |expected|): the most maxAbsDiff may be. */
  allowed: number;
  ok: boolean;
}

interface VerifyReport {
  bundle: string;
  ep: string;
  tol: number;
  ok: boolean;
  failures: string[];
  skipped: { case: string; graph: GraphName }[];
  rows: ComparisonRow[];
}

interface Checked {
  manifest: Manifest;
  read: ReadFile;
  backend: OrtBackend;
  tol: number;
  report: VerifyReport;
}

type GraphBytes = Partial<Record<GraphName, Uint8Array>>;
type Sessions = Partial<Record<GraphName, RuntimeSession>>;

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function fail(report: VerifyReport, line: string): void {
  report.failures.push(line);
  console.log(`FAIL ${line}`);
}

/** Every graph and the vocabulary, each against its size and sha256; returns the graphs that passed. */
async function checkFiles({ manifest, read, report }: Omit<Checked, 'backend' | 'tol'>): Promise<GraphBytes> {
  const graphs: GraphBytes = {};
  for (const name of GRAPH_NAMES) {
    try {
      graphs[name] = await readVerified(read, manifest.graphs[name].file, manifest.graphs[name], undefined);
    } catch (error) {
      fail(report, `graph ${name}: ${message(error)}`);
    }
  }
  const { vocab_file, vocab_sha256 } = manifest.tokenizer;
  await readVerified(read, vocab_file, { sha256: vocab_sha256 }, undefined).catch((error: unknown) =>
    fail(report, `tokenizer vocab: ${message(error)}`),
  );
  return graphs;
}

/** One session per graph that was read, each checked against the manifest as the engine checks it. */
async function openSessions(ctx: Checked, graphs: GraphBytes): Promise<Sessions> {
  const sessions: Sessions = {};
  for (const name of GRAPH_NAMES) {
    const bytes = graphs[name];
    if (bytes === undefined) continue;
    try {
      const session = await ctx.backend.createSession(bytes);
      sessions[name] = session;
      checkSessionContract(name, ctx.manifest.graphs[name], session);
    } catch (error) {
      fail(ctx.report, `graph ${name}: ${message(error)}`);
    }
  }
  return sessions;
}

const HOST_DTYPES: readonly string[] = ['float32', 'int64', 'int32', 'uint8', 'bool'] satisfies TensorDType[];

async function toHost(tensor: RuntimeTensor): Promise<HostTensor | undefined> {
  if (!HOST_DTYPES.includes(tensor.type)) return undefined;
  const data = (await tensor.getData()) as HostTensor['data'];
  return { dtype: tensor.type as TensorDType, shape: [...tensor.dims], data };
}

async function feedsFor(ctx: Checked, inputs: Record<string, FixtureTensorRef>): Promise<Feeds> {
  const feeds: Feeds = {};
  for (const [name, ref] of Object.entries(inputs)) {
    const host = await loadFixtureTensor(ctx.read, ref);
    if (!(host.data instanceof Float32Array || host.data instanceof BigInt64Array)) {
      throw new Error(`input '${name}' is ${host.dtype}: the Locus graphs take float32 and int64 only`);
    }
    feeds[name] = ctx.backend.tensor(host.data, host.shape);
  }
  return feeds;
}

async function compareOutputs(
  ctx: Checked,
  at: { caseId: string; graph: GraphName },
  outputs: Fetches,
  expected: Record<string, FixtureTensorRef>,
) {
  const { caseId, graph } = at;
  for (const [name, ref] of Object.entries(expected)) {
    const produced = outputs[name];
    const actual = produced === undefined ? undefined : await toHost(produced);
    const where = `case ${caseId} graph ${graph} output ${name}`;
    if (actual === undefined) {
      fail(ctx.report, `${where}: not produced as a supported tensor`);
      continue;
    }
    const wanted = await loadFixtureTensor(ctx.read, ref);
    const cmp = compareTensors(wanted, actual);
    const allowed = ctx.tol * cmp.scale;
    const ok = cmp.shapeMatches && cmp.dtypeMatches && cmp.maxAbsDiff <= allowed;
    const shape = `[${actual.shape.join(',')}]`;
    ctx.report.rows.push({ case: caseId, graph, output: name, shape, maxAbsDiff: cmp.maxAbsDiff, allowed, ok });
    if (!cmp.shapeMatches) fail(ctx.report, `${where}: shape ${shape}, expected [${wanted.shape.join(',')}]`);
    else if (!cmp.dtypeMatches) fail(ctx.report, `${where}: dtype ${actual.dtype}, expected ${wanted.dtype}`);
    else if (!ok) fail(ctx.report, `${where}: max abs diff ${cmp.maxAbsDiff.toExponential(3)} > ${allowed.toExponential(3)} (tol ${ctx.tol} x scale ${cmp.scale.toPrecision(4)})`);
  }
}

async function runGraphCase(ctx: Checked, fixture: FixtureCase, graph: GraphName, session: RuntimeSession) {
  const plan = planGraphCase(fixture, graph, ctx.manifest.graphs[graph]);
  if (plan.kind === 'skip') {
    ctx.report.skipped.push({ case: fixture.id, graph });
    return;
  }
  if (plan.kind === 'error') {
    fail(ctx.report, `case ${fixture.id} graph ${graph}: ${plan.message}`);
    return;
  }
  let feeds: Feeds | undefined;
  let outputs: Fetches | undefined;
  try {
    feeds = await feedsFor(ctx, plan.inputs);
    // in: the manifest's inputs of this graph, dtypes and shapes as declared there
    // out: the manifest's outputs, compared one by one with the recorded PyTorch values
    outputs = await session.run(feeds);
    await compareOutputs(ctx, { caseId: fixture.id, graph }, outputs, plan.expected);
  } catch (error) {
    fail(ctx.report, `case ${fixture.id} graph ${graph}: ${message(error)}`);
  } finally {
    disposeAll(feeds);
    disposeAll(outputs);
  }
}

async function runFixtures(ctx: Checked, sessions: Sessions): Promise<void> {
  if (ctx.manifest.fixtures === null) {
    console.log('note: the manifest has no fixtures; no outputs compared');
    return;
  }
  const index = parseFixtureIndex(JSON.parse(new TextDecoder().decode(await ctx.read(ctx.manifest.fixtures.index))));
  if (index.cases.length === 0) fail(ctx.report, 'the fixture index lists no cases');
  for (const fixture of index.cases) {
    for (const graph of GRAPH_NAMES) {
      const session = sessions[graph];
      if (session !== undefined) await runGraphCase(ctx, fixture, graph, session);
    }
  }
}

function printRows(report: VerifyReport): void {
  const header = ['case', 'graph', 'output', 'shape', 'max abs diff', 'allowed', 'result'];
  const cells = report.rows.map((r) => [r.case, r.graph, r.output, r.shape, r.maxAbsDiff.toExponential(3), r.allowed.toExponential(3), r.ok ? 'ok' : 'FAIL']);
  console.log(`\n${formatTable(header, cells)}`);
  for (const s of report.skipped) console.log(`skipped: case ${s.case} graph ${s.graph} (none of its inputs in the fixture)`);
}

export async function verifyBundle(bundleDir: string, options: { ep: 'cpu' | 'wasm'; tol: number }): Promise<VerifyReport> {
  const report: VerifyReport = { bundle: path.resolve(bundleDir), ep: options.ep, tol: options.tol, ok: false, failures: [], skipped: [], rows: [] };
  const { read } = sourceReader(fsBundleSource(bundleDir));
  const backend = await createNodeBackend(options.ep);
  let sessions: Sessions = {};
  try {
    const manifest = await readManifest(read);
    const { library, version } = backend.info();
    console.log(`bundle ${manifest.bundle_id} (${manifest.modality}), ${library} ${version} on ${options.ep}`);
    const ctx: Checked = { manifest, read, backend, tol: options.tol, report };
    sessions = await openSessions(ctx, await checkFiles(ctx));
    await runFixtures(ctx, sessions);
    printRows(report);
  } catch (error) {
    fail(report, message(error));
  } finally {
    await Promise.all(Object.values(sessions).map((s) => s.release()));
    await backend.dispose();
  }
  report.ok = report.failures.length === 0;
  return report;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { tol: { type: 'string' }, json: { type: 'string' } }, 1);
  const bundleDir = positionals[0];
  if (bundleDir === undefined) throw new UsageError('locus verify needs the bundle folder');
  const tol = numberOption(values, 'tol') ?? 1e-4;
  if (tol < 0) throw new UsageError('--tol must be 0 or more');
  const ep = executionProvider(values, ['cpu', 'wasm']) as 'cpu' | 'wasm';
  const report = await verifyBundle(bundleDir, { ep, tol });
  const json = optionalString(values, 'json');
  if (json !== undefined) await writeJson(json, report);
  console.log(report.ok ? '\nbundle OK' : `\nbundle FAILED: ${report.failures.length} failure(s)`);
  return report.ok ? 0 : 1;
}
