/**
 * The three graph sessions of a bundle, created one at a time (peak memory stays one graph's
 * worth) and each checked against the manifest's input and output names, dtypes and dims before
 * it is used.
 */
import { GRAPH_NAMES, type GraphName, type GraphSpec, type Manifest, type TensorSpec } from '../pipeline/index';
import type { LoadedBundle } from './bundle';
import type { OrtBackend, RuntimeSession, ValueMetadata } from './ort';

export type GraphSessions = Record<GraphName, RuntimeSession>;

/** The session disagrees with the manifest: a bundle problem, never worth a fallback. */
export class SessionContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionContractError';
  }
}

/**
 * Outputs that stay where they were computed (GPU buffers on WebGPU) because only the decoder
 * reads them; the coarse logits and GPFC logits are read on the host as well.
 */
const DEVICE_OUTPUTS: Record<GraphName, readonly string[]> = {
  prompt_generator: ['text_prompt'],
  sam_image_encoder: ['image_embedding', 'high_res_0', 'high_res_1'],
  sam_decoder: [],
};

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** A tensor's dtype and static dims must be the manifest's; a symbolic dim (string) is accepted. */
function metadataProblem(spec: TensorSpec, meta: ValueMetadata | undefined): string | null {
  if (meta === undefined || !meta.isTensor) return null;
  const dimsAgree = meta.shape.length === spec.shape.length && meta.shape.every((d, j) => typeof d === 'string' || d === spec.shape[j]);
  if (meta.type === spec.dtype && dimsAgree) return null;
  return `${spec.name} is ${meta.type}[${meta.shape.join(',')}] in the graph, ${spec.dtype}[${spec.shape.join(',')}] in the manifest`;
}

/**
 * Input and output names must match the manifest's, in order; and where the session describes
 * them, their dtypes and static dims too.
 */
export function checkSessionContract(graph: GraphName, spec: GraphSpec, session: RuntimeSession): void {
  const sides = [
    { role: 'inputs', actual: session.inputNames, specs: spec.inputs, metadata: session.inputMetadata },
    { role: 'outputs', actual: session.outputNames, specs: spec.outputs, metadata: session.outputMetadata },
  ];
  for (const { role, actual, specs, metadata } of sides) {
    const wanted = specs.map((t) => t.name);
    if (!sameNames(actual, wanted)) {
      throw new SessionContractError(
        `${spec.file} (${graph}): the graph's ${role} are [${actual.join(', ')}], ` +
          `the manifest says [${wanted.join(', ')}]`,
      );
    }
    const problems = specs.map((t, i) => metadataProblem(t, metadata[i])).filter((p) => p !== null);
    if (problems.length > 0) throw new SessionContractError(`${spec.file} (${graph}): ${problems.join('; ')}`);
  }
}

/** Outputs the manifest asks to keep on the device, limited to names the graph really has. */
function deviceOutputs(graph: GraphName, manifest: Manifest): string[] {
  const names = new Set(manifest.graphs[graph].outputs.map((t) => t.name));
  return DEVICE_OUTPUTS[graph].filter((name) => names.has(name));
}

export async function releaseSessions(sessions: Partial<GraphSessions>): Promise<void> {
  await Promise.all(Object.values(sessions).map((s) => s?.release()));
}

/** Creates and checks the sessions in GRAPH_NAMES order; on any failure releases those made. */
export async function createSessions(
  bundle: LoadedBundle,
  backend: OrtBackend,
  onCreated?: (graph: GraphName, index: number) => void,
): Promise<GraphSessions> {
  const sessions: Partial<GraphSessions> = {};
  try {
    for (const [index, graph] of GRAPH_NAMES.entries()) {
      const session = await backend
        .createSession(bundle.graphs[graph], { deviceOutputs: deviceOutputs(graph, bundle.manifest) })
        .catch((error: unknown) => {
          const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
          throw new Error(`${bundle.manifest.graphs[graph].file}: onnxruntime cannot open this graph: ${why}`, { cause: error });
        });
      sessions[graph] = session;
      checkSessionContract(graph, bundle.manifest.graphs[graph], session);
      onCreated?.(graph, index);
    }
  } catch (error) {
    await releaseSessions(sessions);
    throw error;
  }
  return sessions as GraphSessions;
}

/** The manifest's static shape of one graph input or output (sizes are never retyped in TS). */
export function tensorShape(manifest: Manifest, graph: GraphName, name: string): number[] {
  const spec = [...manifest.graphs[graph].inputs, ...manifest.graphs[graph].outputs].find((t) => t.name === name);
  if (spec === undefined) throw new SessionContractError(`the manifest has no tensor ${graph}/${name}`);
  return spec.shape;
}
