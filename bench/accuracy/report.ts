/** bench/results/accuracy.md from accuracy.json. */
import { EMOTIONS } from '../../src/lib';
import { bytes, percent, table } from '../lib/markdown';
import type { AccuracyResults } from './types';

export function accuracyMarkdown(results: AccuracyResults): string {
  const d = results.data;
  const lines: string[] = [
    '# Accuracy: moodlens vs face-api vs Human on FER2013 PublicTest',
    '',
    `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC with \`npm run eval\` (${results.durationSeconds} s), in Node on the TF.js ${results.backend} backend. ` +
      `Data: \`${d.file}\` (sha256 ${d.sha256.slice(0, 12)}…), ${d.publicTestFaces} PublicTest faces` +
      (d.limitedTo ? ` (**only the first ${d.limitedTo}: not a full result**)` : '') +
      `, of which ${d.unseenFaces} have no pixel-identical copy among the ${d.trainingRows} Training rows ("unseen").`,
    '',
    '## Classifier alone (each with its own preprocessing)',
    '',
    table(
      ['model', 'accuracy', 'macro-F1', 'accuracy, flip TTA', 'macro-F1, flip TTA', 'unseen: accuracy', 'unseen: flip TTA', 'model bytes'],
      results.models.map((m) => [
        m.id,
        percent(m.single.all.accuracy),
        m.single.all.macroF1.toFixed(3),
        percent(m.flip.all.accuracy),
        m.flip.all.macroF1.toFixed(3),
        percent(m.single.unseen.accuracy),
        percent(m.flip.unseen.accuracy),
        bytes(m.modelBytes),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    '### Recall per class (no TTA)',
    '',
    table(
      ['model', ...EMOTIONS],
      results.models.map((m) => [m.id, ...EMOTIONS.map((e) => percent(m.single.all.recall[e], 0))]),
      ['l', ...EMOTIONS.map(() => 'r' as const)],
    ),
    '',
    '### Preprocessing',
    '',
    ...results.models.map((m) => `- ${m.id} (${m.library} ${m.version}): ${m.preprocessing}`),
    ...results.models
      .filter((m) => m.reported?.single !== undefined)
      .map((m) => `- ${m.id}: its metadata.json reports ${percent(m.reported!.single)} (flip ${percent(m.reported!.flip)}); measured here ${percent(m.single.all.accuracy)} (flip ${percent(m.flip.all.accuracy)}).`),
    '',
  ];
  if (results.fidelity) {
    const f = results.fidelity;
    lines.push(
      '## Pipeline fidelity: the full in-browser pipeline',
      '',
      `${f.faces} PublicTest faces (random subset, seed ${f.seed}), each ${f.frame}; ${f.browser}, ${f.backend} backend. ` +
        'A face counts as found when a detection box has its centre on the face; a missed face counts as a wrong answer.',
      '',
      table(
        ['pipeline', 'faces found', 'extra detections', 'accuracy, full pipeline', 'accuracy on found faces', 'classifier alone, same faces'],
        f.results.map((r) => [
          r.pipeline,
          `${percent(r.detectionRate)} (${r.detected}/${r.faces})`,
          String(r.extraDetections),
          percent(r.pipelineAccuracy),
          percent(r.accuracyWhenDetected),
          percent(r.classifierOnFound),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }
  if (results.scenes) {
    const sc = results.scenes;
    lines.push(
      '## Small and many faces: scenes',
      '',
      `${sc.perKind} scenes of each kind (seed ${sc.seed}): PublicTest faces scaled to the sizes shown, turned by up to 12°, ` +
        `never overlapping, on a blurred-noise background; analysed as photos (moodlens: its photo search and flip average, as in the app); ${sc.browser}, ${sc.backend} backend. ` +
        'A face counts as found when a detection has its centre on it; every other detection is a false one.',
      '',
      table(
        ['scenes', 'pipeline', 'faces found', 'false detections per scene', 'accuracy on found faces', 'classifier alone, same faces'],
        sc.results.map((r) => [
          r.kind,
          r.pipeline,
          `${percent(r.faces ? r.found / r.faces : 0)} (${r.found}/${r.faces})`,
          (r.falseDetections / r.scenes).toFixed(2),
          percent(r.accuracyWhenFound),
          percent(r.classifierOnFound),
        ]),
        ['l', 'l', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }
  lines.push('## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}
