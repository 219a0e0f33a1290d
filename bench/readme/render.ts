/** The README's comparison table, made from bench/results/speed.json and accuracy.json. */
import type { AccuracyResults } from '../accuracy/types';
import { bytes, ms, percent, table } from '../lib/markdown';
import type { SpeedResults } from '../speed/types';
import { APP_MODELS } from '../lib/pipelines';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

export class ReadmeError extends Error {}

const NAMES: Record<string, string> = { 'face-api': '@vladmandic/face-api', human: '@vladmandic/human' };

/** "1.2 s" for long times, "85 ms" for short ones. */
function duration(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : ms(value, 0);
}

/** The peer's value with "(n× ours)" against our first pipeline, e.g. "120 ms (6.0× ours)". */
function versus(value: number | undefined, ours: number | undefined, format: (v: number) => string): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (ours === undefined || Number.isNaN(ours) || ours === 0) return format(value);
  return `${format(value)} (${(value / ours).toFixed(1)}× ours)`;
}

export function renderTable(speed: SpeedResults | null, accuracy: AccuracyResults | null): string {
  if (!speed && !accuracy) throw new ReadmeError('no results: run `npm run bench` and `npm run eval` first');
  const backend = speed?.backends.find((b) => b.backend === 'wasm') ?? speed?.backends[0];
  const ids = [...new Set([...(backend?.pipelines.map((p) => p.id) ?? []), ...(accuracy?.models.map((m) => m.id) ?? [])])];
  // Ours: the app's own models (the seed models' figures stay in bench/results/ and docs/results.md).
  const ours = ids.filter((id) => id.startsWith('moodlens:') && APP_MODELS.includes(id.slice('moodlens:'.length)));
  const columns = [...ours, ...ids.filter((id) => !id.startsWith('moodlens:'))];
  const reference = ours[0];
  const pipeline = (id: string) => backend?.pipelines.find((p) => p.id === id);
  const model = (id: string) => accuracy?.models.find((m) => m.id === id);
  const fidelity = (id: string) => accuracy?.fidelity?.results.find((r) => r.pipeline === id);

  const header = ['', ...columns.map((id) => (id.startsWith('moodlens:') ? `moodlens (${id.slice('moodlens:'.length)})` : `${NAMES[id] ?? id} ${pipeline(id)?.version ?? model(id)?.version ?? ''}`.trim()))];
  const rows: string[][] = [];
  const timed = (label: string, value: (id: string) => number | undefined, format: (v: number) => string) => {
    rows.push([label, ...columns.map((id) => (id === reference || id.startsWith('moodlens:') ? (value(id) === undefined ? '—' : format(value(id)!)) : versus(value(id), value(reference), format)))]);
  };
  if (backend) {
    for (const frame of speed!.frames) {
      timed(`Per frame, ${frame.faces} face${frame.faces === 1 ? '' : 's'} (median)`, (id) => pipeline(id)?.frames.find((f) => f.file === frame.file)?.total.median, (v) => ms(v, 0));
    }
    timed('Emotion network alone, per face', (id) => pipeline(id)?.classifierOnly.batch1.median, (v) => ms(v, 1));
    timed('Cold start to first result', (id) => pipeline(id)?.coldStart.firstResultMs, duration);
    timed('Repeat start (browser cache warm)', (id) => pipeline(id)?.coldStart.repeatMs, duration);
    const link = speed!.settings.link;
    if (link) {
      timed(`Cold start over ${link}`, (id) => pipeline(id)?.coldStart.overLink?.firstResultMs, duration);
      timed('Repeat start over that link', (id) => pipeline(id)?.coldStart.overLink?.repeatMs, duration);
    }
    rows.push(['Model files', ...columns.map((id) => bytes(pipeline(id)?.bytes.models))]);
    rows.push(['First visit downloads (gzip)', ...columns.map((id) => bytes(pipeline(id)?.bytes.gzipped))]);
  }
  if (accuracy) {
    rows.push(['FER2013 PublicTest accuracy', ...columns.map((id) => percent(model(id)?.single.all.accuracy))]);
    rows.push(['… with flip TTA', ...columns.map((id) => percent(model(id)?.flip.all.accuracy))]);
    rows.push(['Macro-F1', ...columns.map((id) => model(id)?.single.all.macroF1.toFixed(3) ?? '—')]);
    rows.push(['Accuracy on faces not in Training', ...columns.map((id) => percent(model(id)?.single.unseen.accuracy))]);
    if (accuracy.fidelity) {
      rows.push([
        `Full pipeline, ${accuracy.fidelity.faces} faces in frames: found / right`,
        ...columns.map((id) => {
          const f = fidelity(id);
          return f ? `${percent(f.detectionRate, 0)} / ${percent(f.pipelineAccuracy, 0)}` : '—';
        }),
      ]);
    }
    for (const kind of [...new Set(accuracy.scenes?.results.map((r) => r.kind) ?? [])]) {
      const of = (id: string) => accuracy.scenes!.results.find((r) => r.kind === kind && r.pipeline === id);
      rows.push([
        `Scenes, ${kind}: found / false per scene`,
        ...columns.map((id) => {
          const r = of(id);
          return r ? `${percent(r.faces ? r.found / r.faces : 0, 0)} / ${(r.falseDetections / r.scenes).toFixed(1)}` : '—';
        }),
      ]);
    }
  }
  const notes: string[] = [];
  if (speed && backend) {
    const m = speed.machine;
    notes.push(
      `Speed: \`npm run bench\`, ${speed.date.slice(0, 10)}, ${backend.backend} backend, ${speed.browser}, ${m.cpus}-CPU ${m.cpuModel} ` +
        `(load average ${m.loadAverage}), median of ${speed.settings.reps} rounds; details in [bench/results/speed.md](bench/results/speed.md).`,
    );
  }
  if (accuracy) {
    notes.push(
      `Accuracy: \`npm run eval\`, ${accuracy.date.slice(0, 10)}, ${accuracy.data.publicTestFaces} PublicTest faces (${accuracy.data.unseenFaces} not in Training), ` +
        `each model with its own preprocessing; the peers' training data is unknown (may include PublicTest); details in [bench/results/accuracy.md](bench/results/accuracy.md).`,
    );
  }
  return [table(header, rows, ['l', ...columns.map(() => 'r' as const)]), '', ...notes.flatMap((n) => [n, ''])].join('\n').trimEnd();
}

/** README text with `content` between the markers (which stay). */
export function replaceBetweenMarkers(readme: string, content: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new ReadmeError(`README.md needs the markers ${START} and ${END} (in that order) around the place for the table`);
  }
  if (readme.indexOf(START, start + 1) !== -1 || readme.indexOf(END, end + 1) !== -1) throw new ReadmeError('README.md has the bench markers more than once');
  return `${readme.slice(0, start + START.length)}\n${content}\n${readme.slice(end)}`;
}
