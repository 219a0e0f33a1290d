import { describe, expect, it } from 'vitest';
import { isMoodlensError } from './errors';
import { parseMetadata, toEmotionOrder, toProbabilities, topEmotion } from './metadata';
import { EMOTIONS } from './types';

const valid = {
  name: 'mini-xception',
  architecture: 'mini-xception',
  labels: [...EMOTIONS],
  inputSize: 48,
  channels: 1,
  normalization: '[-1,1]',
  parameters: 58423,
  sizeBytes: 233692,
  metrics: { split: 'PublicTest', accuracy: 0.66 },
  training: { seed: 1, epochs: 100 },
};

function problem(json: unknown): string {
  try {
    parseMetadata(json, 'models/x/metadata.json');
  } catch (error) {
    expect(isMoodlensError(error, 'metadata-invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected parseMetadata to fail');
}

describe('parseMetadata', () => {
  it('accepts what the factory writes', () => {
    const meta = parseMetadata(valid);
    expect(meta.name).toBe('mini-xception');
    expect(meta.inputSize).toBe(48);
    expect(meta.parameters).toBe(58423);
    expect(meta.metrics).toEqual({ split: 'PublicTest', accuracy: 0.66 });
    expect(meta.outputIndex).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('maps a model output order onto the EMOTIONS order', () => {
    const labels = ['neutral', 'happy', 'sad', 'angry', 'surprise', 'fear', 'disgust'];
    const meta = parseMetadata({ ...valid, labels });
    // Output position of each of angry, disgust, fear, happy, sad, surprise, neutral:
    expect(meta.outputIndex).toEqual([3, 6, 5, 1, 2, 4, 0]);
    const output = [0.6, 0.2, 0.05, 0.04, 0.03, 0.02, 0.06]; // neutral 0.6, happy 0.2, ...
    const ordered = toProbabilities(toEmotionOrder(output, meta.outputIndex));
    expect(ordered).toEqual({ angry: 0.04, disgust: 0.06, fear: 0.02, happy: 0.2, sad: 0.05, surprise: 0.03, neutral: 0.6 });
  });

  it('names the file and the problem', () => {
    expect(problem(null)).toMatch(/^models\/x\/metadata\.json: expected a JSON object/);
    expect(problem([1, 2])).toMatch(/expected a JSON object/);
    expect(problem({ ...valid, name: '' })).toMatch(/"name" is missing/);
  });

  it('requires the 7 FER2013 labels, each once', () => {
    expect(problem({ ...valid, labels: undefined })).toMatch(/"labels" is missing/);
    expect(problem({ ...valid, labels: EMOTIONS.slice(0, 6) })).toMatch(/missing: neutral/);
    expect(problem({ ...valid, labels: [...EMOTIONS.slice(0, 6), 'contempt'] })).toMatch(/unknown label\(s\) "contempt"/);
    expect(problem({ ...valid, labels: [...EMOTIONS, 'happy'] })).toMatch(/each of the 7 FER2013 emotions once \(got 8 entries\)/);
    expect(problem({ ...valid, labels: [...EMOTIONS.slice(0, 6), 'angry'] })).toMatch(/missing: neutral/);
  });

  it('checks the input format', () => {
    expect(problem({ ...valid, inputSize: undefined })).toMatch(/"inputSize" is missing/);
    expect(problem({ ...valid, inputSize: '48' })).toMatch(/"inputSize" must be a whole number/);
    expect(problem({ ...valid, inputSize: 47.5 })).toMatch(/"inputSize"/);
    expect(problem({ ...valid, channels: 3 })).toMatch(/"channels" must be 1/);
    expect(problem({ ...valid, normalization: '[0,1]' })).toMatch(/"normalization" must be "\[-1,1\]"/);
    expect(problem({ ...valid, normalization: undefined })).toMatch(/"normalization"/);
  });

  it('checks the types of optional facts', () => {
    expect(problem({ ...valid, parameters: 'many' })).toMatch(/"parameters" must be a number/);
    expect(problem({ ...valid, metrics: 3 })).toMatch(/"metrics" must be an object/);
    expect(problem({ ...valid, architecture: 7 })).toMatch(/"architecture" must be a string/);
    expect(parseMetadata({ ...valid, parameters: undefined, metrics: undefined }).parameters).toBeUndefined();
  });
});

describe('topEmotion', () => {
  it('picks the largest probability', () => {
    expect(topEmotion([0.1, 0, 0, 0.5, 0.2, 0.1, 0.1])).toEqual({ label: 'happy', probability: 0.5 });
    expect(topEmotion([0, 0, 0, 0, 0, 0.3, 0.7])).toEqual({ label: 'neutral', probability: 0.7 });
  });
});
