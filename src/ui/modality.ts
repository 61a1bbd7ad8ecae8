/**
 * Words that follow the open bundle's modality: what the image input and the viewer are called.
 * The accessible name of the image input stays "Image" whatever the bundle (tests and screen
 * readers find it so); only what is shown changes.
 */
import type { Manifest } from '../pipeline/index';

/** What the image is called for a bundle of `modality` (no bundle yet: "Image"). */
export function imageNoun(modality: Manifest['modality'] | undefined): string {
  if (modality === 'ct') return 'CT slice';
  if (modality === 'cxr') return 'Chest X-ray';
  return 'Image';
}

/** The viewer's accessible name prefix. */
export function viewerName(modality: Manifest['modality'] | undefined): string {
  if (modality === 'ct') return 'CT viewer';
  if (modality === 'cxr') return 'Chest X-ray viewer';
  return 'Image viewer';
}
