/**
 * Per-image work, done once per (image, report): preprocessing, the prompt generator (coarse
 * mask, text prompt, GPFC logits) and the SAM image encoder. What the decoder needs later stays
 * in ORT tensors (GPU buffers under WebGPU) until `release()`.
 */
import {
  coarseProbabilityMap,
  preprocess,
  type DecodedImage,
  type Geometry,
  type Manifest,
  type WordPieceTokenizer,
} from '../pipeline/index';
import { disposeAll, readFloat32, type Fetches, type OrtBackend, type RuntimeTensor } from './ort';
import { elapsedSince, type CoarseMap, type GpfcProbabilities, type StageTimings } from './results';
import { tensorShape, type GraphSessions } from './sessions';

export interface EngineContext {
  manifest: Manifest;
  backend: OrtBackend;
  sessions: GraphSessions;
  tokenizer: WordPieceTokenizer;
}

/** The decoder inputs that depend on the image and report only. */
export interface ImageTensors {
  image_embedding: RuntimeTensor;
  high_res_0: RuntimeTensor;
  high_res_1: RuntimeTensor;
  coarse_logits: RuntimeTensor;
  text_prompt: RuntimeTensor;
}

export interface EncodedImage {
  geometry: Geometry;
  /** The preprocessed image [1,1,S,S] on the host (the prompt generator reads it again for another report). */
  input: Float32Array;
  coarse: CoarseMap;
  gpfc: GpfcProbabilities;
  tensors: ImageTensors;
  embeddingLocation: string;
  timings: StageTimings;
  release(): void;
}

function required(fetches: Fetches, name: string, graph: string): RuntimeTensor {
  const tensor = fetches[name];
  if (tensor === undefined) throw new Error(`${graph} produced no '${name}'`);
  return tensor;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** gpfc_logits [1, stages, regions] -> probabilities[stage][region]. */
function gpfcProbabilities(logits: Float32Array, manifest: Manifest): GpfcProbabilities {
  const [, stages = 0, regions = 0] = tensorShape(manifest, 'prompt_generator', 'gpfc_logits');
  const probabilities = Array.from({ length: stages }, (_, s) =>
    Array.from(logits.subarray(s * regions, (s + 1) * regions), sigmoid),
  );
  return { regions: [...manifest.regions], probabilities };
}

async function runPromptGenerator(ctx: EngineContext, image: RuntimeTensor, report: string): Promise<Fetches> {
  const { inputIds, attentionMask } = ctx.tokenizer.encode(report);
  const textShape = tensorShape(ctx.manifest, 'prompt_generator', 'input_ids');
  const ids = ctx.backend.tensor(BigInt64Array.from(inputIds, BigInt), textShape);
  const mask = ctx.backend.tensor(BigInt64Array.from(attentionMask, BigInt), textShape);
  try {
    // in: image f32[1,1,S,S], input_ids i64[1,L], attention_mask i64[1,L]
    // out: coarse_logits f32[1,1,g,g], text_prompt f32[1,D] (kept on the device), gpfc_logits f32[1,4,6]
    return await ctx.sessions.prompt_generator.run({ image, input_ids: ids, attention_mask: mask });
  } finally {
    ids.dispose();
    mask.dispose();
  }
}

async function runImageEncoder(ctx: EngineContext, image: RuntimeTensor): Promise<Fetches> {
  // in: image f32[1,1,S,S]
  // out: image_embedding f32[1,D,g,g], high_res_0 f32[1,D/8,4g,4g], high_res_1 f32[1,D/4,2g,2g] (kept on the device)
  return ctx.sessions.sam_image_encoder.run({ image });
}

interface Timed<T> {
  value: T;
  ms: number;
}

async function timed<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  const start = performance.now();
  const value = await work();
  return { value, ms: elapsedSince(start) };
}

/** `run`'s outputs once the device has finished computing them (GPU outputs stay on the GPU). */
async function synchronized(ctx: EngineContext, run: Promise<Fetches>): Promise<Fetches> {
  const outputs = await run;
  try {
    await ctx.backend.synchronize();
  } catch (error) {
    disposeAll(outputs);
    throw error;
  }
  return outputs;
}

/** Reads the host-side outputs of the prompt generator into the result structures. */
async function summarize(ctx: EngineContext, prompts: Fetches) {
  const coarseLogits = await readFloat32(required(prompts, 'coarse_logits', 'prompt_generator'));
  const gpfcLogits = await readFloat32(required(prompts, 'gpfc_logits', 'prompt_generator'));
  const [, , gh = 0, gw = 0] = tensorShape(ctx.manifest, 'prompt_generator', 'coarse_logits');
  const coarse: CoarseMap = {
    grid: [gh, gw],
    logits: coarseLogits.slice(),
    probabilities: coarseProbabilityMap(coarseLogits),
  };
  return { coarse, gpfc: gpfcProbabilities(gpfcLogits, ctx.manifest) };
}

/** The prompt generator's outputs for one report, the decoder's two kept on the device. */
export interface ReportPrompts {
  coarse: CoarseMap;
  gpfc: GpfcProbabilities;
  tensors: Pick<ImageTensors, 'coarse_logits' | 'text_prompt'>;
  ms: number;
}

/** Runs the prompt generator on a preprocessed image `input` [1,1,S,S] and `report`. */
export async function promptsFor(ctx: EngineContext, input: RuntimeTensor, report: string): Promise<ReportPrompts> {
  const prompts = await timed(() => synchronized(ctx, runPromptGenerator(ctx, input, report)));
  try {
    const { coarse, gpfc } = await summarize(ctx, prompts.value);
    disposeAll({ gpfc: prompts.value['gpfc_logits'] });
    const tensors = {
      coarse_logits: required(prompts.value, 'coarse_logits', 'prompt_generator'),
      text_prompt: required(prompts.value, 'text_prompt', 'prompt_generator'),
    };
    return { coarse, gpfc, tensors, ms: prompts.ms };
  } catch (error) {
    disposeAll(prompts.value);
    throw error;
  }
}

export async function encodeImage(ctx: EngineContext, image: DecodedImage, report: string): Promise<EncodedImage> {
  const pre = await timed(() => preprocess(image, ctx.manifest.preprocess));
  const input = ctx.backend.tensor(pre.value.tensor, tensorShape(ctx.manifest, 'sam_image_encoder', 'image'));
  const owned: Partial<Record<string, RuntimeTensor>>[] = [];
  try {
    const prompts = await promptsFor(ctx, input, report);
    owned.push(prompts.tensors);
    const encoder = await timed(() => synchronized(ctx, runImageEncoder(ctx, input)));
    owned.push(encoder.value);
    const tensors: ImageTensors = {
      image_embedding: required(encoder.value, 'image_embedding', 'sam_image_encoder'),
      high_res_0: required(encoder.value, 'high_res_0', 'sam_image_encoder'),
      high_res_1: required(encoder.value, 'high_res_1', 'sam_image_encoder'),
      ...prompts.tensors,
    };
    return {
      geometry: pre.value.geometry,
      input: pre.value.tensor,
      coarse: prompts.coarse,
      gpfc: prompts.gpfc,
      tensors,
      embeddingLocation: tensors.image_embedding.location,
      timings: { preprocess: pre.ms, prompt_generator: prompts.ms, sam_image_encoder: encoder.ms },
      release: () => disposeAll({ ...tensors }),
    };
  } catch (error) {
    owned.forEach((tensors) => disposeAll(tensors));
    throw error;
  } finally {
    input.dispose();
  }
}
