import { describe, expect, it } from 'vitest';
import { EMOTIONS, type Emotion, type EmotionFace } from '../lib';
import { EmotionTimeline, mainFace, topEmotion } from './timeline';

function face(id: number, width: number, top: Emotion): EmotionFace {
  const probabilities = Object.fromEntries(EMOTIONS.map((e) => [e, e === top ? 0.7 : 0.05])) as Record<Emotion, number>;
  return {
    id,
    box: { x: 0, y: 0, width, height: width },
    keypoints: [],
    score: 0.9,
    probabilities,
    top: { label: top, probability: 0.7 },
  };
}

describe('mainFace', () => {
  it('is the largest face, whatever the order', () => {
    expect(mainFace([face(1, 50, 'sad'), face(2, 120, 'happy'), face(3, 80, 'fear')])?.id).toBe(2);
    expect(mainFace([])).toBeUndefined();
  });
});

describe('EmotionTimeline', () => {
  it('records times relative to the first sample and exports CSV rows in label order', () => {
    const timeline = new EmotionTimeline();
    timeline.add(face(4, 100, 'happy'), 1000);
    timeline.add(face(4, 100, 'surprise'), 1033.4);
    const lines = timeline.toCSV().trim().split('\n');
    expect(lines[0]).toBe('time_ms,face_id,angry,disgust,fear,happy,sad,surprise,neutral,top');
    expect(lines[1]).toBe('0,4,0.0500,0.0500,0.0500,0.7000,0.0500,0.0500,0.0500,happy');
    expect(lines[2].startsWith('33,4,')).toBe(true);
    expect(lines[2].endsWith(',surprise')).toBe(true);
  });

  it('exports JSON with the model, backend and every sample', () => {
    const timeline = new EmotionTimeline();
    timeline.add(face(1, 100, 'sad'), 50);
    const json = JSON.parse(timeline.toJSON({ model: 'm', backend: 'wasm' }));
    expect(json).toMatchObject({ model: 'm', backend: 'wasm', labels: [...EMOTIONS] });
    expect(json.samples).toEqual([{ t: 0, faceId: 1, probabilities: face(1, 100, 'sad').probabilities, top: 'sad' }]);
    expect(typeof json.startedAt).toBe('string');
  });

  it('starts over after clear', () => {
    const timeline = new EmotionTimeline();
    timeline.add(face(1, 100, 'sad'), 500);
    timeline.clear();
    timeline.add(face(1, 100, 'sad'), 900);
    expect(timeline.samples).toHaveLength(1);
    expect(timeline.samples[0].t).toBe(0);
  });
});

describe('topEmotion', () => {
  it('picks the most likely emotion', () => {
    expect(topEmotion(face(1, 1, 'fear').probabilities)).toBe('fear');
  });
});
