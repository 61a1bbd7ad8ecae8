/**
 * DICOM transfer syntaxes: each one Locus reads and the codec that decodes its pixels, and each
 * one it refuses, by name. Compressed pixels are decoded only by maintained codec packages
 * (jpeg-js, jpeg-lossless-decoder-js, CharLS and OpenJPEG builds of cornerstonejs); a syntax none
 * of them covers is refused with its name, never guessed at.
 */

/** How a syntax's pixel data is held: native (uncompressed) or by the codec that decodes it. */
export type PixelEncoding = 'native' | 'jpeg-baseline' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000';

export interface TransferSyntax {
  uid: string;
  name: string;
  /** Null: refused, `refusal` says why. */
  encoding: PixelEncoding | null;
  /** Lossy compression: the pixels differ from the original acquisition. */
  lossy: boolean;
  refusal?: string;
}

const NO_CODEC = 'no maintained decoder for it is part of Locus';

function read(uid: string, name: string, encoding: PixelEncoding, lossy = false): TransferSyntax {
  return { uid, name, encoding, lossy };
}

function refused(uid: string, name: string, refusal: string): TransferSyntax {
  return { uid, name, encoding: null, lossy: false, refusal };
}

export const TRANSFER_SYNTAXES: readonly TransferSyntax[] = [
  read('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native'),
  read('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'),
  read('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native'),
  refused('1.2.840.10008.1.2.2', 'Explicit VR Big Endian (retired)', 'retired in 2004 and not read by Locus'),
  read('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', true),
  read('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-baseline', true),
  read('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'),
  read('1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, SV1)', 'jpeg-lossless'),
  read('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
  read('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpeg-ls', true),
  read('1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)', 'jpeg-2000'),
  read('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg-2000', true),
  refused('1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component (Lossless Only)', NO_CODEC),
  refused('1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component', NO_CODEC),
  refused('1.2.840.10008.1.2.4.94', 'JPIP Referenced', 'the pixels are on a JPIP server, not in the file'),
  refused('1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate', 'the pixels are on a JPIP server, not in the file'),
  refused('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)', NO_CODEC),
  refused('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', NO_CODEC),
  refused('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', NO_CODEC),
  refused('1.2.840.10008.1.2.4.110', 'JPEG XL Lossless', NO_CODEC),
  refused('1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression', NO_CODEC),
  refused('1.2.840.10008.1.2.4.112', 'JPEG XL', NO_CODEC),
  refused('1.2.840.10008.1.2.5', 'RLE Lossless', NO_CODEC),
  ...['100', '101', '102', '103', '104', '105', '106', '107', '108'].map((n) =>
    refused(`1.2.840.10008.1.2.4.${n}`, `MPEG video (1.2.840.10008.1.2.4.${n})`, 'a video, not a still image'),
  ),
];

const BY_UID = new Map(TRANSFER_SYNTAXES.map((syntax) => [syntax.uid, syntax]));

/** The syntax of `uid`; an unknown one is refused naming its UID. */
export function transferSyntax(uid: string): TransferSyntax {
  return BY_UID.get(uid) ?? refused(uid, `an unknown transfer syntax (${uid})`, 'Locus does not know how its pixels are encoded');
}

/** Throws, naming the syntax, when Locus cannot decode its pixels. */
export function requireReadable(syntax: TransferSyntax): PixelEncoding {
  if (syntax.encoding === null) {
    throw new Error(`the pixels are encoded as ${syntax.name} (transfer syntax ${syntax.uid}): ${syntax.refusal ?? NO_CODEC}`);
  }
  return syntax.encoding;
}
