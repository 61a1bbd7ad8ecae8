/**
 * BERT-style WordPiece encoder, a port of models/locus/data/tokenizer.py (`Tokenizer.encode`).
 *
 * Everything iterates by Unicode code point (`for...of`, `Array.from`), never by UTF-16 unit,
 * because Python's str does; the vocab lookup is a Map so that no token can hit Object.prototype.
 */
import type { TokenizerSpec } from './contract';

/** Ids 0..3 of every vocab, in this order. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SEP_ID = 3;
const UNK = SPECIAL_TOKENS[UNK_ID];

export interface TokenizerOptions {
  /** L: length of input_ids and attention_mask, [CLS] and [SEP] included. */
  maxLength: number;
  /** A basic token with more code points than this becomes [UNK]. */
  maxCharsPerWord?: number;
  /** Map A-Z to a-z; the contract only defines lowercasing tokenizers. */
  lowercase?: boolean;
}

export interface Encoded {
  /** int ids, length maxLength: [CLS] pieces [SEP] [PAD]... */
  inputIds: number[];
  /** 1 on [CLS], pieces and [SEP]; 0 on padding. */
  attentionMask: number[];
}

function isWordChar(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/** A code point that is neither space nor control (> U+0020 and not U+007F). */
function isVisible(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return code > 0x20 && code !== 0x7f;
}

/** Step 1: lowercase A-Z; words of ASCII letters/digits; every other visible code point alone. */
export function basicTokenize(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  for (let ch of text) {
    if (ch >= 'A' && ch <= 'Z') ch = String.fromCharCode(ch.charCodeAt(0) + 32);
    if (isWordChar(ch)) {
      word += ch;
      continue;
    }
    if (word) {
      tokens.push(word);
      word = '';
    }
    if (isVisible(ch)) tokens.push(ch);
  }
  if (word) tokens.push(word);
  return tokens;
}

/** Step 2: greedy longest-match-first pieces of one basic token, or a single [UNK]. */
export function wordpiece(token: string, vocab: ReadonlyMap<string, number>, maxCharsPerWord = 100): string[] {
  const chars = Array.from(token);
  if (chars.length > maxCharsPerWord) return [UNK];
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let piece = '';
    while (end > start) {
      const sub = chars.slice(start, end).join('');
      piece = start === 0 ? sub : `##${sub}`;
      if (vocab.has(piece)) break;
      end -= 1;
    }
    if (end === start) return [UNK];
    pieces.push(piece);
    start = end;
  }
  return pieces;
}

/** Throws unless the specials come first and tokens are unique, non-empty and free of spaces/controls. */
export function checkVocab(vocab: readonly string[]): void {
  if (SPECIAL_TOKENS.some((token, i) => vocab[i] !== token)) {
    throw new Error(`vocab must start with ${SPECIAL_TOKENS.join(' ')}`);
  }
  if (new Set(vocab).size !== vocab.length) throw new Error('vocab has duplicate tokens');
  const bad = vocab.findIndex((t) => t === '' || Array.from(t).some((ch) => !isVisible(ch)));
  if (bad >= 0) {
    throw new Error(`vocab line ${bad + 1} is empty or holds a space or control character`);
  }
}

/** vocab.txt -> tokens (id = 0-based line); split on "\n" only, one trailing newline allowed. */
export function parseVocab(text: string): string[] {
  const vocab = text.split('\n');
  if (vocab.length > 0 && vocab[vocab.length - 1] === '') vocab.pop();
  checkVocab(vocab);
  return vocab;
}

export class WordPieceTokenizer {
  readonly vocab: readonly string[];
  readonly maxLength: number;
  readonly maxCharsPerWord: number;
  private readonly ids: Map<string, number>;

  constructor(vocab: readonly string[], { maxLength, maxCharsPerWord = 100, lowercase = true }: TokenizerOptions) {
    checkVocab(vocab);
    if (!lowercase) throw new Error('only lowercasing tokenizers are defined by the bundle contract');
    if (!Number.isInteger(maxLength) || maxLength < 2) {
      throw new Error('maxLength must leave room for [CLS] and [SEP]');
    }
    this.vocab = [...vocab];
    this.ids = new Map(vocab.map((token, i) => [token, i]));
    this.maxLength = maxLength;
    this.maxCharsPerWord = maxCharsPerWord;
  }

  /** The tokenizer a manifest describes, over the bundle's parsed vocab. */
  static fromSpec(vocab: readonly string[], spec: TokenizerSpec): WordPieceTokenizer {
    if (vocab.length !== spec.vocab_size) {
      throw new Error(`vocab has ${vocab.length} tokens, the manifest says ${spec.vocab_size}`);
    }
    return new WordPieceTokenizer(vocab, {
      maxLength: spec.max_length,
      maxCharsPerWord: spec.max_chars_per_word,
      lowercase: spec.lowercase,
    });
  }

  /** Pieces of a text, without special tokens or truncation. */
  tokenize(text: string): string[] {
    return basicTokenize(text).flatMap((token) => wordpiece(token, this.ids, this.maxCharsPerWord));
  }

  /** Step 3: [CLS] pieces[:L-2] [SEP], padded with [PAD] to L. */
  encode(text: string): Encoded {
    const pieces = this.tokenize(text).slice(0, this.maxLength - 2);
    const real = [CLS_ID, ...pieces.map((p) => this.ids.get(p)!), SEP_ID];
    const pad = this.maxLength - real.length;
    return {
      inputIds: [...real, ...new Array<number>(pad).fill(PAD_ID)],
      attentionMask: [...new Array<number>(real.length).fill(1), ...new Array<number>(pad).fill(0)],
    };
  }
}
