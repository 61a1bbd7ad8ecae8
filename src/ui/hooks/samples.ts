/** The shipped sample cases (public/samples/index.json and dicom.json). */
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

/** The synthetic CXR samples (index.json, python3 -m locus.synth) and the DICOM ones (dicom.json, tests/fixtures/dicom/make-dicom.ts). */
export function useSamples() {
  return useQuery({
    queryKey: ['samples'],
    queryFn: async () => (await Promise.all(['index.json', 'dicom.json'].map((list) => getJson<Sample[]>(`${SAMPLES}${list}`)))).flat(),
    staleTime: Infinity,
  });
}

/** A sample file as a named Blob. */
export async function fetchSampleFile(name: string): Promise<File> {
  const response = await fetch(new URL(`${SAMPLES}${name}`, document.baseURI));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new File([await response.blob()], name, { type: response.headers.get('content-type') ?? '' });
}
