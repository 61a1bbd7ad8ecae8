/** What the viewer draws, gathered from the stores and the displayed decode result. */
import { useMemo } from 'react';
import { useCase } from '../state/case';
import { usePrompts } from '../state/prompts';
import type { ViewerLayers } from '../viewer/types';
import type { Displayed } from './decode';

export function useLayers(displayed: Displayed): ViewerLayers {
  const image = useCase((s) => s.image?.gray ?? null);
  const analysis = useCase((s) => s.analysis);
  const truth = useCase((s) => s.truth?.mask ?? null);
  const userPoints = usePrompts((s) => s.settings.userPoints);
  const result = displayed.result;
  const coarse = useMemo(() => (analysis ? { map: analysis.coarse, geometry: analysis.geometry } : null), [analysis]);
  return useMemo(
    () => ({
      image,
      coarse,
      modelPoints: result?.points ?? [],
      userPoints,
      mask: result?.mask ?? null,
      truth: truth?.mask ?? null,
    }),
    [image, coarse, result, userPoints, truth],
  );
}
