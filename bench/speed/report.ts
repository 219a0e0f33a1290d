/** bench/results/speed.md from speed.json. */
import { bytes, ms, table, times } from '../lib/markdown';
import type { BackendResult, SpeedResults } from './types';

const STAGE_ORDER = ['detect', 'preprocess', 'classify', 'image', 'face', 'draw'];

function yesNo(value: boolean | null): string {
  return value === null ? 'n/a' : value ? 'yes' : 'no';
}

function backendSection(result: BackendResult, frames: readonly string[]): string {
  const env = result.environment;
  const lines: string[] = [];
  lines.push(`## Backend: ${result.backend}`);
  lines.push('');
  lines.push(
    `TF.js ${env.tfjs}${result.backend === 'wasm' ? `, wasm SIMD ${yesNo(env.wasmSimd)}, threads ${yesNo(env.wasmThreads)} (cross-origin isolated: ${yesNo(env.crossOriginIsolated)})` : ''}; ` +
      `WebGL renderer: ${env.webglRenderer ?? 'none'}.`,
  );
  lines.push('');
  lines.push('### Per frame: detection to drawing, median (p95)');
  lines.push('');
  lines.push(
    table(
      ['pipeline', ...frames, 'faces found', 'cold start', 'repeat start', 'model bytes', 'runtime (JS + wasm)', 'transfer (gzip)'],
      result.pipelines.map((p) => [
        p.id,
        ...frames.map((file) => {
          const frame = p.frames.find((f) => f.file === file);
          return frame ? `${ms(frame.total.median)} (${ms(frame.total.p95)})` : '—';
        }),
        p.frames.map((f) => (f.facesFound.min === f.facesFound.max ? `${f.facesFound.min}` : `${f.facesFound.min}–${f.facesFound.max}`) + `/${f.expectedFaces}`).join(', '),
        ms(p.coldStart.firstResultMs, 0),
        p.coldStart.repeatMs === undefined ? '—' : ms(p.coldStart.repeatMs, 0),
        bytes(p.bytes.models),
        bytes(p.bytes.js + p.bytes.wasm),
        p.bytes.gzipped === undefined ? '—' : bytes(p.bytes.gzipped),
      ]),
      ['l', ...frames.map(() => 'r' as const), 'l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  lines.push('');
  const staged = result.pipelines.filter((p) => p.coldStart.stages);
  if (staged.length > 0) {
    lines.push('### Cold start by stage: ms from navigation until each was done, median');
    lines.push('');
    lines.push(
      'Created for video, as the webcam view does: the TF.js face detector loads with the models (*faceDetector*) and reads ' +
        'the first frames; MediaPipe starts after the first frame and takes over once loaded (*settled*). ' +
        '*code*: the page\'s script loaded and the pipeline began; *ready*: the detector created; *first result*: the first frame drawn.',
    );
    lines.push('');
    const names = Object.keys(staged[0].coldStart.stages!).filter((s) => s !== 'total');
    lines.push(
      table(
        ['pipeline', ...names, 'ready', 'first result', 'settled'],
        staged.map((p) => [
          p.id,
          ...names.map((s) => ms(p.coldStart.stages![s], 0)),
          ms(p.coldStart.readyMs, 0),
          ms(p.coldStart.firstResultMs, 0),
          ms(p.coldStart.settledMs, 0),
        ]),
        ['l', ...names.map(() => 'r' as const), 'r', 'r', 'r'],
      ),
    );
    lines.push('');
  }
  const linked = result.pipelines.filter((p) => p.coldStart.overLink);
  if (linked.length > 0) {
    lines.push(`### Start over a network: ${linked[0].coldStart.overLink!.link}, median`);
    lines.push('');
    lines.push(
      'The same first and repeat visits over an emulated link (Chromium\'s DevTools throttling), every file gzipped as a ' +
        'static host sends it. On the local server above, no start waits for bytes; here the first visit downloads everything ' +
        'and the repeat visit only revalidates (one round trip per file).',
    );
    lines.push('');
    lines.push(
      table(
        ['pipeline', 'cold start', 'repeat start', 'repeat / cold'],
        linked.map((p) => {
          const { firstResultMs, repeatMs } = p.coldStart.overLink!;
          return [p.id, ms(firstResultMs, 0), ms(repeatMs, 0), `${Math.round((100 * repeatMs) / firstResultMs)}%`];
        }),
        ['l', 'r', 'r', 'r'],
      ),
    );
    lines.push('');
  }
  lines.push('### Stages, median');
  lines.push('');
  const stages = STAGE_ORDER.filter((s) => result.pipelines.some((p) => p.frames.some((f) => s in f.stages)));
  lines.push(
    table(
      ['pipeline', 'frame', ...stages],
      result.pipelines.flatMap((p) => p.frames.map((f) => [p.id, f.file, ...stages.map((s) => ms(f.stages[s]?.median))])),
      ['l', 'l', ...stages.map(() => 'r' as const)],
    ),
  );
  lines.push('');
  lines.push('### Classifier only: ms per face, median (p95)');
  lines.push('');
  lines.push(
    table(
      ['pipeline', 'batch 1', 'batch 10'],
      result.pipelines.map((p) => [
        p.id,
        `${ms(p.classifierOnly.batch1.median, 2)} (${ms(p.classifierOnly.batch1.p95, 2)})`,
        `${ms(p.classifierOnly.batch10.median, 2)} (${ms(p.classifierOnly.batch10.p95, 2)})`,
      ]),
      ['l', 'r', 'r'],
    ),
  );
  lines.push('');
  lines.push('### Ratios: peer / ours, ratio of the medians (median of the per-round ratios); above 1: ours is faster');
  lines.push('');
  const whats = [...new Set(result.ratios.map((r) => r.what))];
  const pairs = [...new Set(result.ratios.map((r) => `${r.ours}|${r.peer}`))];
  lines.push(
    table(
      ['ours', 'peer', ...whats],
      pairs.map((pair) => {
        const [ours, peer] = pair.split('|');
        return [
          ours,
          peer,
          ...whats.map((w) => {
            const r = result.ratios.find((x) => x.ours === ours && x.peer === peer && x.what === w);
            return r ? `${times(r.ratio)} (${times(r.pairedRatio)})` : '—';
          }),
        ];
      }),
      ['l', 'l', ...whats.map(() => 'r' as const)],
    ),
  );
  lines.push('');
  lines.push('### Checks');
  lines.push('');
  for (const p of result.pipelines) {
    lines.push(`- ${p.id}: ${p.selfCheck.ok ? 'ok' : 'FAILED'}: ${p.selfCheck.detail}; tensors kept per frame: ${p.tensorsPerFrame}`);
  }
  return lines.join('\n');
}

export function speedMarkdown(results: SpeedResults): string {
  const m = results.machine;
  const frames = results.frames.map((f) => f.file);
  const lines = [
    '# Speed: moodlens vs face-api vs Human',
    '',
    `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC with \`npm run bench\` (${results.durationSeconds} s) on ${m.cpuModel}, ` +
      `${m.cpus} CPUs, ${m.platform}, load average ${m.loadAverage} at the start; ${results.browser}; ` +
      `user agent \`${results.backends[0]?.environment.userAgent ?? 'n/a'}\`.`,
    '',
    `${results.settings.reps} timed rounds after ${results.settings.warmup} warm-up rounds; ${results.settings.coldRuns} cold starts per pipeline ` +
      `(median shown: navigation to the first drawn result, empty cache). Backends: ${results.settings.backends.join(', ')}.`,
    '',
    'Frames:',
    '',
    ...results.frames.map((f) => `- \`${f.file}\` ${f.width}×${f.height}, ${f.faces} face${f.faces === 1 ? '' : 's'}: ${f.source}`),
    '',
    ...results.backends.flatMap((b) => [backendSection(b, frames), '']),
    '## Notes',
    '',
    ...results.notes.map((n) => `- ${n}`),
    `- Requests that left the bench origin: ${results.externalRequests.length === 0 ? 'none' : results.externalRequests.join(', ')}.`,
    '',
  ];
  return lines.join('\n');
}
