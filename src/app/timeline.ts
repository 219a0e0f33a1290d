/** Records the main face's emotions over time and exports them as CSV or JSON. */
import { EMOTIONS, type Emotion, type EmotionFace } from '../lib';

export interface TimelineSample {
  /** Milliseconds since recording started. */
  t: number;
  faceId: number;
  probabilities: Record<Emotion, number>;
}

/** About 20 minutes at 15 analysed frames per second; older samples are dropped after that. */
const MAX_SAMPLES = 18_000;

export class EmotionTimeline {
  samples: TimelineSample[] = [];
  private startedAt: number | null = null;
  private startedAtWallClock: string | null = null;

  add(face: EmotionFace, now: number): void {
    if (this.startedAt === null) {
      this.startedAt = now;
      this.startedAtWallClock = new Date().toISOString();
    }
    this.samples.push({ t: Math.round(now - this.startedAt), faceId: face.id, probabilities: { ...face.probabilities } });
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  clear(): void {
    this.samples = [];
    this.startedAt = null;
    this.startedAtWallClock = null;
  }

  toCSV(): string {
    const header = ['time_ms', 'face_id', ...EMOTIONS, 'top'].join(',');
    const rows = this.samples.map((sample) => {
      const top = topEmotion(sample.probabilities);
      return [sample.t, sample.faceId, ...EMOTIONS.map((e) => sample.probabilities[e].toFixed(4)), top].join(',');
    });
    return [header, ...rows].join('\n') + '\n';
  }

  toJSON(details: { model: string; backend: string }): string {
    return JSON.stringify(
      {
        ...details,
        startedAt: this.startedAtWallClock,
        labels: EMOTIONS,
        samples: this.samples.map((sample) => ({ ...sample, top: topEmotion(sample.probabilities) })),
      },
      null,
      2,
    );
  }
}

export function topEmotion(probabilities: Record<Emotion, number>): Emotion {
  return EMOTIONS.reduce((best, emotion) => (probabilities[emotion] > probabilities[best] ? emotion : best));
}

/** The face the timeline follows: the largest one (usually the person in front of the camera). */
export function mainFace(faces: readonly EmotionFace[]): EmotionFace | undefined {
  let best: EmotionFace | undefined;
  for (const face of faces) {
    if (!best || face.box.width * face.box.height > best.box.width * best.box.height) best = face;
  }
  return best;
}
