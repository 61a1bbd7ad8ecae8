/**
 * What the viewer draws and what it reports back, and the types its modules share (screen
 * geometry, the painting context and view). The studio's stores own the state; the viewer only
 * paints it and turns pointer input into image-space edits. Layers are in original image pixels
 * (ImagePoint) except the coarse map, which lives on the model's grid and is placed on the image
 * through `geometry`; screen points are CSS px from the canvas's top-left corner.
 */
import type { ChosenPoint, CoarseMap, PromptPoint } from '../../worker/api';
import type { Geometry, GrayImage, ImagePoint, VoiFunction } from '../../pipeline/index';

/** The decoded image as the worker returns it (`openImage`), for display; window/level works on `data`. */
export type DisplayImage = GrayImage;

/**
 * Window/level in the image's display units (HU for CT, the samples for PNG/JPEG): shown range is
 * [level - width/2, level + width/2]; a DICOM window may be SIGMOID (default linear).
 */
export interface WindowLevel {
  level: number;
  width: number;
  function?: VoiFunction;
}

/** A point in CSS px from the canvas's top-left corner. */
export interface ScreenPoint {
  x: number;
  y: number;
}

/** Canvas size in CSS px. */
export interface ViewSize {
  width: number;
  height: number;
}

/** Zoom and pan: `scale` screen px per image px; (x, y) = image point at the canvas centre. */
export interface ViewTransform {
  scale: number;
  centerX: number;
  centerY: number;
}

export type OverlayName = 'coarse' | 'points' | 'mask' | 'truth';

export interface OverlaySettings {
  visible: Record<OverlayName, boolean>;
  /** 0..1 per overlay. */
  opacity: Record<OverlayName, number>;
}

export interface ViewerLayers {
  image: DisplayImage | null;
  /** The coarse mask's probabilities on its grid, and where the grid sits on the image. */
  coarse: { map: CoarseMap; geometry: Geometry } | null;
  /** The model's Top-k points (numbered 1..k in this order, each with its probability). */
  modelPoints: ChosenPoint[];
  /** Points the user placed (label 1 positive, 0 negative). */
  userPoints: PromptPoint[];
  /** Final mask at the image's size, 1 = lesion. */
  mask: Uint8Array | null;
  /** Ground truth at the image's size, 1 = lesion. */
  truth: Uint8Array | null;
}

export interface ViewerCallbacks {
  /** Click: label 1; shift-click or right-click: label 0. */
  onAddPoint(point: ImagePoint, label: 0 | 1): void;
  /** Drag of user point `index` ended at `point` (one call per drag, so one undo step). */
  onMovePoint(index: number, point: ImagePoint): void;
  onTransformChange(transform: ViewTransform): void;
  onWindowLevelChange(windowLevel: WindowLevel): void;
}

/** Where the viewer paints: the screen canvas or an export's offscreen one. */
export type Ctx2d = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface PaintView {
  transform: ViewTransform;
  /** The canvas's size in CSS px. */
  size: ViewSize;
  /** Device px per CSS px. */
  dpr: number;
  /** Markers, labels and strokes grow by this factor (1 on screen; larger for a big export). */
  markerScale: number;
  /** Fill outside the image; null leaves it transparent. */
  background: string | null;
}

export interface PaintPoints {
  model: readonly ChosenPoint[];
  user: readonly PromptPoint[];
  /** A user point being dragged: drawn at `x, y` (image px) instead of where it was. */
  dragging: { index: number; x: number; y: number } | null;
}

/** How point markers are drawn: the view they sit in and the points overlay's opacity. */
export interface MarkerStyle {
  view: PaintView;
  alpha: number;
}
