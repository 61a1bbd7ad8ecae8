import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicTokenize, parseVocab, WordPieceTokenizer, wordpiece } from '../../src/pipeline/tokenizer';
import { ROOT, describeFixtures, readBundleBytes, readFixtureTensor } from './bundle';

interface TokenizerCase {
  text: string;
  input_ids: number[];
  attention_mask: number[];
}

const VECTORS = join(ROOT, 'models/tests/vectors');
const vectors = JSON.parse(readFileSync(join(VECTORS, 'tokenizer_cases.json'), 'utf8')) as {
  max_length: number;
  cases: TokenizerCase[];
};
const smallVocab = parseVocab(readFileSync(join(VECTORS, 'vocab_small.txt'), 'utf8'));

describe('parseVocab', () => {
  it('splits on \\n only and drops one trailing empty line', () => {
    expect(parseVocab('[PAD]\n[UNK]\n[CLS]\n[SEP]\na\n')).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a']);
    expect(parseVocab('[PAD]\n[UNK]\n[CLS]\n[SEP]\na')).toHaveLength(5);
  });

  it('rejects CRLF lines, blank lines, duplicates and a wrong start', () => {
    expect(() => parseVocab('[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n')).toThrow(/start with/);
    expect(() => parseVocab('[PAD]\n[UNK]\n[CLS]\n[SEP]\na\r\n')).toThrow(/line 5/);
    expect(() => parseVocab('[PAD]\n[UNK]\n[CLS]\n[SEP]\n\nb\n')).toThrow(/line 5/);
    expect(() => parseVocab('[PAD]\n[UNK]\n[CLS]\n[SEP]\na\na\n')).toThrow(/duplicate/);
  });
});

describe('basicTokenize and wordpiece', () => {
  it('splits words of ASCII letters/digits, keeps other visible code points alone', () => {
    expect(basicTokenize('Upper-LEFT lung; 2x 😷\u00a0é')).toEqual(['upper', '-', 'left', 'lung', ';', '2x', '😷', '\u00a0', 'é']);
    expect(basicTokenize('tab\tnew\nline\u007f')).toEqual(['tab', 'new', 'line']);
  });

  it('matches greedily with ## continuations, [UNK] when not coverable or too long', () => {
    const vocab = new Map(['[UNK]', 'lu', '##ng', '##n', 'l'].map((t, i) => [t, i]));
    expect(wordpiece('lung', vocab)).toEqual(['lu', '##ng']);
    expect(wordpiece('lx', vocab)).toEqual(['[UNK]']);
    expect(wordpiece('l'.repeat(101), new Map([['l', 0], ['##l', 1]]))).toEqual(['[UNK]']);
    expect(wordpiece('lll', new Map([['l', 0], ['##l', 1]]), 2)).toEqual(['[UNK]']);
  });

  it('refuses a maxLength without room for [CLS] and [SEP]', () => {
    expect(() => new WordPieceTokenizer(smallVocab, { maxLength: 1 })).toThrow(/maxLength/);
  });
});

describe('WordPieceTokenizer matches models/tests/vectors/tokenizer_cases.json exactly', () => {
  const tokenizer = new WordPieceTokenizer(smallVocab, { maxLength: vectors.max_length, maxCharsPerWord: 100, lowercase: true });
  it.each(vectors.cases.map((c, i) => [i, JSON.stringify(c.text).slice(0, 60), c] as const))('case %i %s', (_i, _t, c) => {
    const encoded = tokenizer.encode(c.text);
    expect(encoded.inputIds).toEqual(c.input_ids);
    expect(encoded.attentionMask).toEqual(c.attention_mask);
  });
});

describeFixtures('WordPieceTokenizer matches the fixture input_ids and attention_mask', ({ cases, manifest }) => {
  const vocab = parseVocab(new TextDecoder().decode(readBundleBytes(manifest.tokenizer.vocab_file)));
  const tokenizer = WordPieceTokenizer.fromSpec(vocab, manifest.tokenizer);
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, fixture) => {
    const encoded = tokenizer.encode(fixture.report);
    const ids = readFixtureTensor(fixture, 'prompt_generator/input_ids').data as BigInt64Array;
    const mask = readFixtureTensor(fixture, 'prompt_generator/attention_mask').data as BigInt64Array;
    expect(encoded.inputIds).toEqual(Array.from(ids, Number));
    expect(encoded.attentionMask).toEqual(Array.from(mask, Number));
  });
});
