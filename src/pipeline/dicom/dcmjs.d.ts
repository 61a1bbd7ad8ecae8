/** The part of dcmjs (which ships no types) that Locus uses: reading and writing Part 10 files. */
declare module 'dcmjs' {
  /** A dataset in dcmjs's "natural" form: attribute keywords -> values, sequences as arrays of datasets. */
  export type NaturalDataset = Record<string, unknown>;
  /** dcmjs's tag-keyed form of a dataset. */
  export type DenaturalizedDataset = Record<string, unknown>;

  export class DicomDict {
    constructor(meta: DenaturalizedDataset);
    meta: DenaturalizedDataset;
    dict: DenaturalizedDataset;
    write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  interface Logger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent', persist?: boolean): void;
    getLogger(name: string): Logger;
  }

  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string | null }): DicomDict;
      };
      DicomMetaDictionary: {
        naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
        denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
      };
    };
    log: Logger;
  };
  export default dcmjs;
}
