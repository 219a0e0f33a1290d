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

/** Keeps the pipelines named in `filter` (ids or 'moodlens' for all of ours); all when empty. */
export function selectPipelines(filter: readonly string[], all = allPipelines()): PipelineSpec[] {
  if (filter.length === 0) return all;
  const unknown = filter.filter((name) => name !== 'moodlens' && !all.some((p) => p.id === name));
  if (unknown.length) throw new UsageError(`--pipelines: unknown pipeline(s) ${unknown.join(', ')}; known: moodlens, ${all.map((p) => p.id).join(', ')}`);
  return all.filter((p) => filter.includes(p.id) || (p.page === 'moodlens' && filter.includes('moodlens')));
}
