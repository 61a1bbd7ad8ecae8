/**
 * Types for the codec packages, which ship none: the emscripten builds of CharLS and OpenJPEG
 * (cornerstonejs) and jpeg-lossless-decoder-js. Only what Locus calls is declared.
 */
interface EmscriptenCodecOptions {
  /** Where the .wasm is (browser builds); node finds it beside the .js file. */
  locateFile?: (file: string, scriptDirectory: string) => string;
  /** The library's own stdout/stderr lines (OpenJPEG prints progress): dropped. */
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  delete(): void;
}

interface WasmEncoder {
  getDecodedBuffer(info: CodecFrameInfo & { isUsingColorTransform?: boolean }): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  delete(): void;
}

interface CharLSModule {
  JpegLSDecoder: new () => WasmDecoder;
  JpegLSEncoder: new () => WasmEncoder & { setNearLossless(value: number): void };
}

interface OpenJPEGModule {
  J2KDecoder: new () => WasmDecoder;
  J2KEncoder: new () => WasmEncoder & { setDecompositions(value: number): void; setQuality(lossless: boolean, quality: number): void };
}

type CharLSFactory = (options?: EmscriptenCodecOptions) => Promise<CharLSModule>;
type OpenJPEGFactory = (options?: EmscriptenCodecOptions) => Promise<OpenJPEGModule>;

// Decoders only (what the studio and the CLI load), and decoders with encoders (the test fixtures).
declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: CharLSFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-charls/wasmjs' {
  const factory: CharLSFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: OpenJPEGFactory;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  const factory: OpenJPEGFactory;
  export default factory;
}
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decoded samples: one typed array of rows x columns x components, 8- or 16-bit by the precision. */
    decode(buffer: ArrayBuffer, offset?: number, length?: number): Uint8Array | Uint16Array;
  }
}
