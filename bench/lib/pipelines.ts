/** The pipelines to compare: each shipped model of ours, face-api, Human. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args';
import { MODELS_DIR } from './paths';

export interface PipelineSpec {
  /** As the pages report it: 'moodlens:<model>', 'face-api', 'human'. */
  id: string;
  page: 'moodlens' | 'face-api' | 'human';
  model?: string;
}

/** Model folders under models/ that have a metadata.json, the default model first. */
export function shippedModels(): string[] {
  if (!existsSync(MODELS_DIR)) return [];
  const names = readdirSync(MODELS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(MODELS_DIR, entry.name, 'metadata.json')))
    .map((entry) => entry.name)
    .sort();
  return [...names.filter((n) => n === 'mini-xception'), ...names.filter((n) => n !== 'mini-xception')];
}

export function allPipelines(models = shippedModels()): PipelineSpec[] {
  return [
    ...models.map((model) => ({ id: `moodlens:${model}`, page: 'moodlens' as const, model })),
    { id: 'face-api', page: 'face-api' },
    { id: 'human', page: 'human' },
  ];
}

/** The app's own choices (fast and accurate, where shipped): what the README compares. */
export const APP_MODELS = ['mini-xception', 'attention'];

/** The default run: the app's models and the peers. Each pipeline keeps a page open during the
 * rounds; with every seed model too, ten pages hold MediaPipe and TF.js at once and the first one
 * opened measured slower than the rest (a harness effect, not the model's). */
export function defaultPipelines(all = allPipelines()): PipelineSpec[] {
  return all.filter((p) => p.page !== 'moodlens' || APP_MODELS.includes(p.model!));
}

/** Keeps the pipelines named in `filter` (ids or 'moodlens' for all of ours); the default run when empty. */
export function selectPipelines(filter: readonly string[], all = allPipelines()): PipelineSpec[] {
  if (filter.length === 0) return defaultPipelines(all);
  const unknown = filter.filter((name) => name !== 'moodlens' && !all.some((p) => p.id === name));
  if (unknown.length) throw new UsageError(`--pipelines: unknown pipeline(s) ${unknown.join(', ')}; known: moodlens, ${all.map((p) => p.id).join(', ')}`);
  return all.filter((p) => filter.includes(p.id) || (p.page === 'moodlens' && filter.includes('moodlens')));
}
