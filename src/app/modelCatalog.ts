/**
 * The model picker's choices and what is known about them: "fast" (mini-xception), "accurate"
 * (the attention model, which not every build ships) and "both" (their probabilities averaged).
 * Accuracy comes from each model's metadata.json and, for "both", from models/blend.json
 * (written by the factory's `evaluate --ship-blend`); speed from models/speed.json (written by
 * `npm run bench:models`). Any of them may be missing.
 */
import { isMoodlensError, loadModelMetadata, modelsFor, type ModelChoice, type ModelMetadata } from '../lib';

export interface ModelFacts {
  name: string;
  /** false: the build does not ship it (404); `problem` says why when it is there but unreadable. */
  available: boolean;
  problem?: string;
  architecture?: string;
  /** Top-1 accuracy (0..1) on `split`, as the factory measured it. */
  accuracy?: number;
  split?: string;
  /** Classifier time per face in the browser, from speed.json. */
  msPerFace?: number;
}

export interface SpeedTable {
  backend?: string;
  models: Record<string, { msPerFace: number }>;
}

/** What the average of some models scores (models/blend.json). */
export interface BlendFacts {
  models: string[];
  accuracy: number;
  split?: string;
}

export interface Catalog {
  models: Record<string, ModelFacts>;
  speed: SpeedTable | null;
  blend: BlendFacts | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The accuracy of a metadata.json as the app uses the model: with the mirror-image average
 * (metrics.flip) when measured, else a single pass (metrics.single); and metrics.split. */
export function measuredAccuracy(metadata: Pick<ModelMetadata, 'metrics'>): { accuracy?: number; split?: string } {
  const metrics = metadata.metrics;
  const pass = isRecord(metrics) ? (isRecord(metrics.flip) ? metrics.flip : metrics.single) : undefined;
  const accuracy = isRecord(pass) ? pass.accuracy : undefined;
  if (typeof accuracy !== 'number' || !(accuracy >= 0 && accuracy <= 1)) return {};
  return { accuracy, split: typeof metrics?.split === 'string' ? metrics.split : undefined };
}

/** The parts of speed.json the picker uses; null when the file is not what bench:models writes. */
export function parseSpeed(json: unknown): SpeedTable | null {
  if (!isRecord(json) || !isRecord(json.models)) return null;
  const models: SpeedTable['models'] = {};
  for (const [name, entry] of Object.entries(json.models)) {
    const ms = isRecord(entry) ? entry.msPerFace : undefined;
    if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) models[name] = { msPerFace: ms };
  }
  return { backend: typeof json.backend === 'string' ? json.backend : undefined, models };
}

/** The parts of blend.json the picker uses; null when the file is not what the factory writes. */
export function parseBlend(json: unknown): BlendFacts | null {
  if (!isRecord(json) || !Array.isArray(json.models) || !json.models.every((m) => typeof m === 'string')) return null;
  const { accuracy, split } = measuredAccuracy(json as Pick<ModelMetadata, 'metrics'>);
  return accuracy === undefined ? null : { models: json.models as string[], accuracy, split };
}

/** An optional JSON file, parsed; null when it is missing or unreadable. */
async function fetchOptional<T>(url: string, parse: (json: unknown) => T | null, fetchImpl: typeof fetch): Promise<T | null> {
  try {
    const response = await fetchImpl(url);
    // A missing file may come back as the app's index page (status 200, HTML).
    if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
    return parse(await response.json());
  } catch {
    return null;
  }
}

async function modelFacts(modelsBase: string, name: string, fetchImpl: typeof fetch): Promise<ModelFacts> {
  try {
    const metadata = await loadModelMetadata(modelsBase, name, fetchImpl);
    return { name, available: true, architecture: metadata.architecture, ...measuredAccuracy(metadata) };
  } catch (error) {
    if (isMoodlensError(error, 'model-missing')) return { name, available: false };
    // Present but unreadable: offered anyway, loading it will report the problem in full.
    return { name, available: true, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads what the picker shows. Never fails: what cannot be read is reported as unknown. */
export async function loadCatalog(assetBase: string, names: readonly string[], fetchImpl: typeof fetch = fetch): Promise<Catalog> {
  const modelsBase = `${assetBase}models/`;
  const [speed, blend, facts] = await Promise.all([
    fetchOptional(`${modelsBase}speed.json`, parseSpeed, fetchImpl),
    fetchOptional(`${modelsBase}blend.json`, parseBlend, fetchImpl),
    Promise.all(names.map((name) => modelFacts(modelsBase, name, fetchImpl))),
  ]);
  const models: Record<string, ModelFacts> = {};
  for (const fact of facts) {
    const ms = speed?.models[fact.name]?.msPerFace;
    models[fact.name] = ms === undefined ? fact : { ...fact, msPerFace: ms };
  }
  return { models, speed, blend };
}

export interface ChoiceSummary {
  choice: ModelChoice;
  label: string;
  models: string[];
  available: boolean;
  /** Why the choice cannot be picked. */
  unavailableReason?: string;
  accuracyText: string;
  speedText: string;
  /** For tests and tooltips: the numbers behind the texts. */
  accuracy?: number;
  msPerFace?: number;
}

const LABELS: Record<ModelChoice, string> = { fast: 'Fast', accurate: 'Accurate', both: 'Both' };
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const milliseconds = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms per face`;

function accuracyOf(fact: { accuracy?: number; split?: string } | null | undefined): string {
  if (fact?.accuracy === undefined) return 'accuracy not measured';
  return `${percent(fact.accuracy)} accuracy${fact.split ? ` (FER2013 ${fact.split})` : ''}`;
}

/** The measured blend when it averages exactly these models (in any order). */
function blendOf(models: readonly string[], blend: BlendFacts | null | undefined): BlendFacts | undefined {
  if (!blend || blend.models.length !== models.length) return undefined;
  return models.every((name) => blend.models.includes(name)) ? blend : undefined;
}

/** What the picker says about one choice. */
export function summarise(choice: ModelChoice, catalog: Catalog | null, fastModel: string): ChoiceSummary {
  const models = modelsFor(choice, fastModel);
  const facts = models.map((name) => catalog?.models[name]);
  const missing = models.filter((_, i) => facts[i]?.available === false);
  const summary: ChoiceSummary = {
    choice,
    label: LABELS[choice],
    models,
    available: missing.length === 0,
    accuracyText: 'accuracy not measured',
    speedText: 'speed not measured',
  };
  if (missing.length > 0) summary.unavailableReason = `not included in this build (models/${missing.join(', models/')}/ is missing)`;

  const speeds = facts.map((f) => f?.msPerFace);
  // "Both" runs the two models one after the other: their times add up.
  if (speeds.every((ms): ms is number => ms !== undefined)) {
    summary.msPerFace = speeds.reduce((a, b) => a + b, 0);
    summary.speedText = milliseconds(summary.msPerFace);
  }
  const blend = choice === 'both' ? blendOf(models, catalog?.blend) : undefined;
  if (blend) {
    summary.accuracy = blend.accuracy;
    summary.accuracyText = accuracyOf(blend);
  } else if (choice === 'both') {
    const parts = facts.map((f) => f?.accuracy);
    // Nobody measured the average of these two: show what each one scores.
    summary.accuracyText = parts.every((a): a is number => a !== undefined)
      ? `accuracy of the average not measured (alone: ${parts.map(percent).join(' and ')})`
      : 'accuracy not measured';
  } else {
    summary.accuracy = facts[0]?.accuracy;
    summary.accuracyText = accuracyOf(facts[0]);
  }
  return summary;
}
