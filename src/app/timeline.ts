/** Records every face's emotions over time (webcam or video file), summarises one face, and
 * exports all faces or one as CSV or JSON. */
import { EMOTIONS, type Emotion, type EmotionFace } from '../lib';

export interface TimelineSample {
  /** Milliseconds since recording started (webcam) or from the start of the video (file). */
  t: number;
  faceId: number;
  probabilities: Record<Emotion, number>;
}

/** A face seen in the recording: how often and when. */
export interface TimelineFace {
  id: number;
  samples: number;
  first: number;
  last: number;
  /** Mean box area in pixels, to find the face in front of the camera. */
  area: number;
}

/** About 20 minutes at 15 analysed frames per second of one face; older samples are dropped after that. */
const MAX_SAMPLES = 18_000;

export class EmotionTimeline {
  samples: TimelineSample[] = [];
  /** A live recording keeps its latest samples; a video file keeps them all (maxSamples Infinity). */
  constructor(private readonly maxSamples = MAX_SAMPLES) {}

  private areas = new Map<number, number>();
  private startedAt: number | null = null;
  private startedAtWallClock: string | null = null;

  /** Every face of one frame taken at `now` (performance.now()); times count from the first frame. */
  add(faces: readonly EmotionFace[], now: number): void {
    if (this.startedAt === null) {
      this.startedAt = now;
      this.startedAtWallClock = new Date().toISOString();
    }
    this.addAt(faces, now - this.startedAt);
  }

  /** Every face of the picture at `t` ms into a video. */
  addAt(faces: readonly EmotionFace[], t: number): void {
    for (const face of faces) {
      this.samples.push({ t: Math.round(t), faceId: face.id, probabilities: { ...face.probabilities } });
      this.areas.set(face.id, (this.areas.get(face.id) ?? 0) + face.box.width * face.box.height);
    }
    if (this.samples.length > this.maxSamples) this.samples.splice(0, this.samples.length - this.maxSamples);
  }

  clear(): void {
    this.samples = [];
    this.areas.clear();
    this.startedAt = null;
    this.startedAtWallClock = null;
  }

  /** The faces recorded, most often seen first. */
  faces(): TimelineFace[] {
    const byId = new Map<number, TimelineFace>();
    for (const sample of this.samples) {
      const face = byId.get(sample.faceId);
      if (face) {
        face.samples++;
        face.last = sample.t;
      } else byId.set(sample.faceId, { id: sample.faceId, samples: 1, first: sample.t, last: sample.t, area: 0 });
    }
    for (const face of byId.values()) face.area = (this.areas.get(face.id) ?? 0) / face.samples;
    return [...byId.values()].sort((a, b) => b.samples - a.samples || b.area - a.area || a.id - b.id);
  }

  /** One face's samples, or all of them. */
  of(faceId?: number): TimelineSample[] {
    return faceId === undefined ? this.samples : this.samples.filter((sample) => sample.faceId === faceId);
  }

  toCSV(faceId?: number): string {
    const header = ['time_ms', 'face_id', ...EMOTIONS, 'top'].join(',');
    const rows = this.of(faceId).map((sample) => {
      const top = topEmotion(sample.probabilities);
      return [sample.t, sample.faceId, ...EMOTIONS.map((e) => sample.probabilities[e].toFixed(4)), top].join(',');
    });
    return [header, ...rows].join('\n') + '\n';
  }

  toJSON(details: Record<string, unknown>, faceId?: number): string {
    return JSON.stringify(
      {
        ...details,
        startedAt: this.startedAtWallClock,
        labels: EMOTIONS,
        faces: this.faces().filter((face) => faceId === undefined || face.id === faceId),
        samples: this.of(faceId).map((sample) => ({ ...sample, top: topEmotion(sample.probabilities) })),
      },
      null,
      2,
    );
  }
}

export function topEmotion(probabilities: Record<Emotion, number>): Emotion {
  return EMOTIONS.reduce((best, emotion) => (probabilities[emotion] > probabilities[best] ? emotion : best));
}

/** Share of the samples in which each emotion was the top one (0..1 each, summing to 1). */
export function shareOfTime(samples: readonly TimelineSample[]): Record<Emotion, number> {
  const counts = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
  for (const sample of samples) counts[topEmotion(sample.probabilities)]++;
  for (const emotion of EMOTIONS) counts[emotion] = samples.length > 0 ? counts[emotion] / samples.length : 0;
  return counts;
}

/** Evenly spaced, round time ticks (ms) between start and end: 1, 2, 5, 10, … seconds apart. */
export function timeTicks(start: number, end: number, maxTicks = 6): number[] {
  const span = Math.max(end - start, 1);
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600].map((s) => s * 1000);
  const step = steps.find((s) => span / s + 1 <= maxTicks) ?? steps[steps.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end + 1e-6; t += step) ticks.push(Math.round(t));
  return ticks;
}

/** "0:05", "1:30", "1:02:03"; tenths when the span is under ten seconds. */
export function formatTime(ms: number, tenths = false): string {
  const seconds = ms / 1000;
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const rest = tenths ? `.${Math.floor((seconds - whole) * 10 + 1e-6)}` : '';
  const ss = `${String(s).padStart(2, '0')}${rest}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
