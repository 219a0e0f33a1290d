import { describe, expect, it } from 'vitest';
import { EMOTIONS, type Emotion, type EmotionFace } from '../lib';
import { EmotionTimeline, formatTime, shareOfTime, timeTicks, topEmotion } from './timeline';

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

describe('EmotionTimeline', () => {
  it('records times relative to the first sample and exports CSV rows in label order', () => {
    const timeline = new EmotionTimeline();
    timeline.add([face(4, 100, 'happy')], 1000);
    timeline.add([face(4, 100, 'surprise')], 1033.4);
    const lines = timeline.toCSV().trim().split('\n');
    expect(lines[0]).toBe('time_ms,face_id,angry,disgust,fear,happy,sad,surprise,neutral,top');
    expect(lines[1]).toBe('0,4,0.0500,0.0500,0.0500,0.7000,0.0500,0.0500,0.0500,happy');
    expect(lines[2].startsWith('33,4,')).toBe(true);
    expect(lines[2].endsWith(',surprise')).toBe(true);
  });

  it('exports JSON with the model, backend and every sample', () => {
    const timeline = new EmotionTimeline();
    timeline.add([face(1, 100, 'sad')], 50);
    const json = JSON.parse(timeline.toJSON({ model: 'm', backend: 'wasm' }));
    expect(json).toMatchObject({ model: 'm', backend: 'wasm', labels: [...EMOTIONS] });
    expect(json.samples).toEqual([{ t: 0, faceId: 1, probabilities: face(1, 100, 'sad').probabilities, top: 'sad' }]);
    expect(json.faces).toEqual([{ id: 1, samples: 1, first: 0, last: 0, area: 10000 }]);
    expect(typeof json.startedAt).toBe('string');
  });

  it('starts over after clear', () => {
    const timeline = new EmotionTimeline();
    timeline.add([face(1, 100, 'sad')], 500);
    timeline.clear();
    timeline.add([face(1, 100, 'sad')], 900);
    expect(timeline.samples).toHaveLength(1);
    expect(timeline.samples[0].t).toBe(0);
  });
});

describe('topEmotion', () => {
  it('picks the most likely emotion', () => {
    expect(topEmotion(face(1, 1, 'fear').probabilities)).toBe('fear');
  });
});

describe('several faces', () => {
  function recording(): EmotionTimeline {
    const timeline = new EmotionTimeline();
    timeline.addAt([face(1, 40, 'sad'), face(2, 120, 'happy')], 0);
    timeline.addAt([face(2, 120, 'happy')], 100);
    timeline.addAt([face(2, 120, 'surprise'), face(3, 60, 'fear')], 200);
    return timeline;
  }

  it('lists the faces, most often seen first, with when they were seen', () => {
    expect(recording().faces()).toEqual([
      { id: 2, samples: 3, first: 0, last: 200, area: 14400 },
      { id: 3, samples: 1, first: 200, last: 200, area: 3600 },
      { id: 1, samples: 1, first: 0, last: 0, area: 1600 },
    ]);
  });

  it('exports one face or all of them', () => {
    const timeline = recording();
    expect(timeline.toCSV().trim().split('\n')).toHaveLength(1 + 5);
    const one = timeline.toCSV(2).trim().split('\n').slice(1);
    expect(one.map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['0,2', '100,2', '200,2']);
    expect(JSON.parse(timeline.toJSON({}, 3)).samples).toHaveLength(1);
  });

  it('shares time by top emotion', () => {
    const share = shareOfTime(recording().of(2));
    expect(share.happy).toBeCloseTo(2 / 3);
    expect(share.surprise).toBeCloseTo(1 / 3);
    expect(Object.values(share).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(shareOfTime([]).happy).toBe(0);
  });
});

describe('time axis', () => {
  it('ticks at round steps within the span', () => {
    expect(timeTicks(0, 30_000)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(timeTicks(2_500, 7_400)).toEqual([3_000, 4_000, 5_000, 6_000, 7_000]);
    expect(timeTicks(0, 1_000).length).toBeLessThanOrEqual(6);
  });

  it('formats minutes and seconds, with tenths on demand', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(65_000)).toBe('1:05');
    expect(formatTime(3_723_000)).toBe('1:02:03');
    expect(formatTime(2_500, true)).toBe('0:02.5');
  });
});
