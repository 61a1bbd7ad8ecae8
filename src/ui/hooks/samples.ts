/** The shipped sample cases (public/samples/index.json). */
import { useQuery } from '@tanstack/react-query';
import { getJson } from './bundle';

export interface Sample {
  id: string;
  title: string;
  image: string;
  mask: string;
  report: string;
  width: number;
  height: number;
  bits: number;
  /** The modality of the bundles this sample suits ('cxr', 'ct'). */
  modality: string;
}

export const SAMPLES = './samples/';

export function useSamples() {
  return useQuery({ queryKey: ['samples'], queryFn: () => getJson<Sample[]>(`${SAMPLES}index.json`), staleTime: Infinity });
}

/** A sample file as a named Blob. */
export async function fetchSampleFile(name: string): Promise<File> {
  const response = await fetch(new URL(`${SAMPLES}${name}`, document.baseURI));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new File([await response.blob()], name, { type: response.headers.get('content-type') ?? '' });
}
