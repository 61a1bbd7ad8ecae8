/** What a decoder run scored on a case: Dice, IoU and what the encoding says about the report. */
import { dice, gpfcAgreement, iou, parseReport } from '../pipeline/index';
import type { CaseEncoding } from './case-encoding';
import type { DecodeResult } from './results';

/** What one decoder setting scored on one case. */
export interface CaseScores {
  dice: number;
  iou: number;
  /** The decoder's own IoU estimate. */
  predictedIou: number;
  /** How many Top-k points the decoder got (0 when the points prompt is off). */
  points: number;
  /** The highest coarse-mask probability of the image and report. */
  coarseMax: number;
  /** The report parser's verdict; an unreadable report is still evaluated. */
  readable: boolean;
  unreadableReason: string | null;
  /** Regions (of 6) on which the report and the last GPFC stage agree; null for an unreadable report. */
  gpfcAgreement: number | null;
}

/** A decoder result scored against the truth, with what the encoding says about the report. */
export function scoreDecode(decoded: DecodeResult, encoding: CaseEncoding, report: string, truth: Uint8Array): CaseScores {
  const parsed = parseReport(report);
  return {
    dice: dice(decoded.mask, truth),
    iou: iou(decoded.mask, truth),
    predictedIou: decoded.iou,
    points: decoded.points.length,
    coarseMax: encoding.coarse.probabilities.reduce((a, b) => Math.max(a, b), 0),
    readable: parsed.readable,
    unreadableReason: parsed.reason,
    gpfcAgreement: gpfcAgreement(parsed.readable ? parsed.labels : null, encoding.gpfc.probabilities),
  };
}

