/**
 * The shipped bundles of the built studio (dist/bundles/index.json, the default first), so the
 * scripts wait for the titles the manifests give rather than a copy of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ShippedBundle {
  name: string;
  title: string;
}

export function shippedBundles(root: string): ShippedBundle[] {
  const file = path.join(root, 'dist/bundles/index.json');
  const list = JSON.parse(readFileSync(file, 'utf8')) as ShippedBundle[];
  if (list.length === 0) throw new Error(`${file} lists no bundle: run npm run build`);
  return list;
}

/** The bundle the studio opens first. */
export const defaultBundle = (root: string): ShippedBundle => shippedBundles(root)[0]!;

/** A button name starting with the title (the list's buttons add the bundle's details after it). */
export const startsWithTitle = (title: string): RegExp => new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
