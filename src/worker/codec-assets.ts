/// <reference types="vite/client" />
/**
 * Where the DICOM codecs' WebAssembly files are in this build: Vite copies them next to the
 * worker (asset URLs, same origin, precached for offline use), never a CDN.
 */
import charlsWasm from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpegWasm from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import type { CodecOptions } from '../pipeline/index';

const FILES: Record<string, string> = {
  'charlswasm_decode.wasm': charlsWasm,
  'openjpegwasm_decode.wasm': openjpegWasm,
};

export const WEB_CODECS: CodecOptions = {
  locateWasm: (file) => {
    const url = FILES[file];
    if (url === undefined) throw new Error(`no WebAssembly file ${file} in this build`);
    return new URL(url, self.location.href).href;
  },
};
