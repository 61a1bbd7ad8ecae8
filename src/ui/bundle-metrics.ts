/**
 * A bundle's own figures, read from its manifest's free-form `metrics` in either of the two shapes
 * the exporter writes: a held-out test split (demo-cxr: `{dice, miou, cases}` per prompt set) or
 * cross-validation (medseg-ct: `{onnx|torch: {dice|iou: {mean, std}}}` per prompt set, `per_fold`).
 * Anything else gives no rows rather than a broken panel.
 */

export interface ScoreRow {
  prompts: string;
  dice: number;
  iou: number;
  /** Standard deviation over folds (cross-validation only). */
  diceStd: number | null;
  iouStd: number | null;
}

export interface BundleScores {
  caption: string;
  rows: ScoreRow[];
  /** Dice with the true report and with a report naming other regions, when measured. */
  location: { trueReport: number | null; otherRegions: number } | null;
  /** How the figures were obtained, when the manifest says. */
  protocol: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** One prompt set's score in either shape; null when it is neither. */
function scoreRow(prompts: string, score: unknown): ScoreRow | null {
  if (!isObject(score)) return null;
  const dice = num(score['dice']);
  const iou = num(score['miou']) ?? num(score['iou']);
  if (dice !== null && iou !== null) return { prompts, dice, iou, diceStd: null, iouStd: null };
  // Cross-validation: prefer the figures measured through the shipped graphs (ONNX).
  const measured = isObject(score['onnx']) ? score['onnx'] : score['torch'];
  if (!isObject(measured) || !isObject(measured['dice']) || !isObject(measured['iou'])) return null;
  const [d, i] = [measured['dice'], measured['iou']];
  const [dm, im] = [num(d['mean']), num(i['mean'])];
  if (dm === null || im === null) return null;
  return { prompts, dice: dm, iou: im, diceStd: num(d['std']), iouStd: num(i['std']) };
}

function locationScores(location: unknown): BundleScores['location'] {
  if (!isObject(location)) return null;
  const other = num(location['onnx_dice_other_regions_report']) ?? num(location['dice_other_regions_report']);
  if (other === null) return null;
  const trueReport =
    num(location['onnx_dice_true_report']) ?? num(location['torch_dice_true_report']) ?? num(location['dice_true_report']);
  return { trueReport, otherRegions: other };
}

export function bundleScores(metrics: unknown): BundleScores {
  const m = isObject(metrics) ? metrics : {};
  const table = isObject(m['table5_prompts']) ? m['table5_prompts'] : { all: m['all_prompts'] };
  const rows = Object.entries(table)
    .map(([prompts, score]) => scoreRow(prompts, score))
    .filter((row): row is ScoreRow => row !== null);
  const folds = Array.isArray(m['per_fold']) ? m['per_fold'].length : 0;
  const cases = isObject(table['all']) ? num(table['all']['cases']) : null;
  const caption =
    folds > 0
      ? `${folds}-fold cross-validation (mean ± std over folds)`
      : cases !== null
        ? `Bundle test scores (${cases} cases)`
        : 'Bundle scores';
  return {
    caption,
    rows,
    location: locationScores(m['location']),
    protocol: typeof m['protocol'] === 'string' ? m['protocol'] : null,
  };
}
