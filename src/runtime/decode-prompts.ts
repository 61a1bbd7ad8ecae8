/**
 * Per-prompt work: Top-k points from the coarse mask, the point slots, the SAM decoder and the
 * final mask at the original size. Runs after `encodeImage` and again for every `redecode`.
 */
import {
  cellToFrame,
  frameToImage,
  gridCell,
  imageToFrame,
  maskLogitsToImage,
  pointSlots,
  selectPoints,
  type CellPoint,
  type UserPoint,
} from '../pipeline/index';
import type { EncodedImage, EngineContext } from './encode-image';
import { disposeAll, readFloat32, type Fetches, type RuntimeTensor } from './ort';
import { elapsedSince, type ChosenPoint, type DecodeResult, type PromptSettings } from './results';
import { tensorShape } from './sessions';

type Decoded = Omit<DecodeResult, 'backend' | 'fallback'>;

function choosePoints(ctx: EngineContext, encoded: EncodedImage, settings: PromptSettings) {
  const { coarse, geometry } = encoded;
  const [gh, gw] = coarse.grid;
  const cells: CellPoint[] = settings.usePoints
    ? selectPoints(coarse.logits, gh, gw, { k: settings.k, theta: settings.theta })
    : [];
  const points: ChosenPoint[] = cells.map((cell) => {
    const frame = cellToFrame(gridCell(cell.row, cell.col), coarse.grid, geometry.inputSize);
    return { row: cell.row, col: cell.col, prob: cell.prob, frame, image: frameToImage(frame, geometry) };
  });
  const user: UserPoint[] = settings.userPoints.map(({ point, label }) => ({
    point: imageToFrame(point, geometry),
    label,
  }));
  const slots = pointSlots(
    points.map((p) => p.frame),
    user,
    ctx.manifest.prompts.max_points,
  );
  return { points, slots };
}

async function runDecoder(
  ctx: EngineContext,
  encoded: EncodedImage,
  slots: { coords: Float32Array; labels: Float32Array },
  settings: PromptSettings,
): Promise<{ logits: Float32Array; iou: number }> {
  const shape = (name: string) => tensorShape(ctx.manifest, 'sam_decoder', name);
  const prompts: Record<string, RuntimeTensor> = {
    point_coords: ctx.backend.tensor(slots.coords, shape('point_coords')),
    point_labels: ctx.backend.tensor(slots.labels, shape('point_labels')),
    has_mask: ctx.backend.tensor(Float32Array.of(settings.useCoarse ? 1 : 0), shape('has_mask')),
    has_text: ctx.backend.tensor(Float32Array.of(settings.useText ? 1 : 0), shape('has_text')),
  };
  let outputs: Fetches | undefined;
  try {
    // in: image_embedding f32[1,D,g,g], high_res_0 f32[1,D/8,4g,4g], high_res_1 f32[1,D/4,2g,2g],
    //     point_coords f32[1,N,2], point_labels f32[1,N], coarse_logits f32[1,1,g,g], has_mask f32[1],
    //     text_prompt f32[1,D], has_text f32[1]
    // out: mask_logits f32[1,1,m,m], iou f32[1,1]
    outputs = await ctx.sessions.sam_decoder.run({ ...encoded.tensors, ...prompts });
    const maskLogits = outputs['mask_logits'];
    const iou = outputs['iou'];
    if (maskLogits === undefined || iou === undefined) throw new Error('sam_decoder produced no mask_logits or iou');
    return { logits: (await readFloat32(maskLogits)).slice(), iou: (await readFloat32(iou))[0] ?? NaN };
  } finally {
    disposeAll(prompts);
    disposeAll(outputs);
  }
}

export async function decodePrompts(ctx: EngineContext, encoded: EncodedImage, settings: PromptSettings): Promise<Decoded> {
  let start = performance.now();
  const { points, slots } = choosePoints(ctx, encoded, settings);
  const pointsMs = elapsedSince(start);
  start = performance.now();
  const { logits, iou } = await runDecoder(ctx, encoded, slots, settings);
  const decoderMs = elapsedSince(start);
  start = performance.now();
  const [m] = ctx.manifest.sam.mask_logits_size;
  const mask = maskLogitsToImage(logits, m, encoded.geometry, ctx.manifest.sam.mask_threshold);
  const [height, width] = encoded.geometry.original;
  return {
    mask,
    width,
    height,
    iou,
    points,
    slots,
    settings,
    timings: { points: pointsMs, decoder: decoderMs, postprocess: elapsedSince(start) },
  };
}
