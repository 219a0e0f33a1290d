/**
 * @vladmandic/human: face detection (BlazeFace) + emotion only, every other module off (see
 * peers/config.ts). Human does not expose its stages as calls, so the split comes from its own
 * `performance` counters (whole milliseconds, truncated): `image` (input to tensor) and `face`
 * (detection + crops + emotion of every face).
 */
import * as tf from '@tensorflow/tfjs';
import { Human, type Config } from '@vladmandic/human';
import { humanConfig, HUMAN_MODELS } from '../../peers/config';
import { humanEmotionInput, HUMAN_EMOTION_INPUT } from '../../peers/human-emotion';
import { fromHuman, fromHumanRow } from '../../peers/labels';
import { fitOverlay, type FaceOut, type Pipeline, type PipelineOptions } from './types';

type HumanFace = Awaited<ReturnType<Human['detect']>>['face'][number];

function toFace(face: HumanFace): FaceOut {
  const [x, y, width, height] = face.box;
  return { box: { x, y, width, height }, probabilities: fromHuman(face.emotion ?? []) };
}

export async function createHuman(options: PipelineOptions): Promise<Pipeline> {
  const human = new Human(humanConfig(options.backend) as unknown as Partial<Config>);
  await human.load();
  let emotionModel: tf.GraphModel | undefined;
  const loadEmotionModel = async () => (emotionModel ??= await tf.loadGraphModel(`${HUMAN_MODELS}emotion.json`));

  return {
    id: 'human',
    library: '@vladmandic/human',
    version: human.version,
    backend: tf.getBackend() as PipelineOptions['backend'],
    async run(image, overlay) {
      const start = performance.now();
      const result = await human.detect(image);
      if (result.error) throw new Error(`Human: ${result.error}`);
      const drawStart = performance.now();
      if (overlay) await human.draw.face(fitOverlay(overlay, image).canvas, result.face);
      const end = performance.now();
      return {
        totalMs: end - start,
        stages: { image: result.performance.inputProcess ?? NaN, face: result.performance.face ?? NaN, draw: end - drawStart },
        faces: result.face.map(toFace),
      };
    },
    async classifierOnly(batch) {
      const model = await loadEmotionModel();
      const input = tf.randomUniform([batch, HUMAN_EMOTION_INPUT, HUMAN_EMOTION_INPUT, 1], -1, 1);
      try {
        const start = performance.now();
        const output = model.execute(input) as tf.Tensor;
        await output.data();
        output.dispose();
        return performance.now() - start;
      } finally {
        input.dispose();
      }
    },
    async selfCheck(image) {
      // Human hands out each face crop with detector.return; our copy of its emotion step must
      // reproduce the scores Human reports for them (Human truncates them to 2 decimals).
      const model = await loadEmotionModel();
      human.config.face.detector!.return = true;
      let result;
      try {
        result = await human.detect(image);
      } finally {
        human.config.face.detector!.return = false;
      }
      let difference = 0;
      let sameTop = true;
      for (const face of result.face) {
        if (!face.tensor) return { ok: false, detail: 'Human returned no face tensor' };
        // Human hands the crop out squeezed ([h, w, 3]); its emotion step got it as [1, h, w, 3].
        const crop = tf.expandDims(face.tensor as tf.Tensor3D, 0) as tf.Tensor4D;
        const input = humanEmotionInput(crop);
        const output = model.execute(input) as tf.Tensor;
        // Scores as Human reports them: truncated to 2 decimals, at most 0.99.
        const mine = fromHumanRow(await output.data()).map((p) => Math.min(0.99, Math.trunc(100 * p) / 100));
        tf.dispose([crop, input, output, face.tensor]);
        const theirs = fromHuman(face.emotion ?? []);
        difference = Math.max(difference, ...mine.map((p, i) => Math.abs(p - theirs[i])));
        sameTop &&= mine.indexOf(Math.max(...mine)) === theirs.indexOf(Math.max(...theirs));
      }
      return {
        ok: result.face.length > 0 && difference <= 0.01 && sameTop,
        detail: `faces: ${result.face.length}; bench copy of Human's emotion step vs Human: max score difference ${difference.toFixed(3)}, same top emotion: ${sameTop}`,
      };
    },
  };
}
