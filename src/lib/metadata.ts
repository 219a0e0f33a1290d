/** Reads a model's metadata.json and refuses anything the pipeline cannot feed correctly. */
import { MoodlensError } from './errors';
import { EMOTIONS, type Emotion, type ModelMetadata, type Probabilities } from './types';

function invalid(source: string, problem: string): MoodlensError {
  return new MoodlensError('metadata-invalid', `${source}: ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(json: Record<string, unknown>, key: string, source: string): number | undefined {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(source, `"${key}" must be a number`);
  return value;
}

function optionalRecord(json: Record<string, unknown>, key: string, source: string) {
  const value = json[key];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(source, `"${key}" must be an object`);
  return value;
}

/** Validates parsed metadata.json. `source` names the file in error messages. */
export function parseMetadata(json: unknown, source = 'metadata.json'): ModelMetadata {
  if (!isRecord(json)) throw invalid(source, 'expected a JSON object');

  const { name, labels, inputSize, channels, normalization, architecture } = json;
  if (typeof name !== 'string' || name.trim() === '') throw invalid(source, '"name" is missing');
  if (architecture !== undefined && typeof architecture !== 'string') {
    throw invalid(source, '"architecture" must be a string');
  }

  if (!Array.isArray(labels)) throw invalid(source, `"labels" is missing (expected the 7 names ${EMOTIONS.join(', ')})`);
  const unknown = labels.filter((label) => !EMOTIONS.includes(label as Emotion));
  if (unknown.length > 0) {
    throw invalid(source, `unknown label(s) ${unknown.map((l) => JSON.stringify(l)).join(', ')}; expected ${EMOTIONS.join(', ')}`);
  }
  const missing = EMOTIONS.filter((emotion) => !labels.includes(emotion));
  if (labels.length !== EMOTIONS.length || missing.length > 0) {
    throw invalid(
      source,
      `"labels" must list each of the 7 FER2013 emotions once` +
        (missing.length ? ` (missing: ${missing.join(', ')})` : ` (got ${labels.length} entries)`),
    );
  }

  if (inputSize === undefined) throw invalid(source, '"inputSize" is missing');
  if (typeof inputSize !== 'number' || !Number.isInteger(inputSize) || inputSize < 8 || inputSize > 512) {
    throw invalid(source, `"inputSize" must be a whole number of pixels (8..512), got ${JSON.stringify(inputSize)}`);
  }
  if (channels !== 1) {
    throw invalid(source, `"channels" must be 1 (grey input), got ${JSON.stringify(channels)}`);
  }
  if (normalization !== '[-1,1]') {
    throw invalid(source, `"normalization" must be "[-1,1]" (x / 127.5 - 1), got ${JSON.stringify(normalization)}`);
  }

  const modelLabels = labels as Emotion[];
  return {
    name,
    architecture,
    labels: modelLabels,
    inputSize,
    channels: 1,
    normalization: '[-1,1]',
    parameters: optionalNumber(json, 'parameters', source),
    sizeBytes: optionalNumber(json, 'sizeBytes', source),
    metrics: optionalRecord(json, 'metrics', source),
    training: optionalRecord(json, 'training', source),
    outputIndex: EMOTIONS.map((emotion) => modelLabels.indexOf(emotion)),
  };
}

/** One model output row (model order) -> values in EMOTIONS order. */
export function toEmotionOrder(output: ArrayLike<number>, outputIndex: readonly number[]): number[] {
  return outputIndex.map((index) => output[index]);
}

/** Values in EMOTIONS order -> a record keyed by emotion. */
export function toProbabilities(values: readonly number[]): Probabilities {
  return Object.fromEntries(EMOTIONS.map((emotion, i) => [emotion, values[i]])) as Probabilities;
}

/** The most probable emotion (first one on ties, in EMOTIONS order). */
export function topEmotion(values: readonly number[]): { label: Emotion; probability: number } {
  let best = 0;
  for (let i = 1; i < EMOTIONS.length; i++) if (values[i] > values[best]) best = i;
  return { label: EMOTIONS[best], probability: values[best] };
}
