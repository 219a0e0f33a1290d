import { describe, expect, it } from 'vitest';
import { EMOTIONS, type EmotionFace } from '../lib';
import { batchCSV } from './batch';

function face(id: number, x: number, top: (typeof EMOTIONS)[number]): EmotionFace {
  const probabilities = Object.fromEntries(EMOTIONS.map((e) => [e, e === top ? 0.7 : 0.05])) as EmotionFace['probabilities'];
  return { id, box: { x, y: 10.4, width: 50, height: 60 }, score: 0.9, keypoints: [], probabilities, top: { label: top, probability: 0.7 } };
}

describe('batchCSV', () => {
  it('lists every face of every photo, and accounts for photos without faces or with errors', () => {
    const csv = batchCSV([
      { file: 'group, outdoors.jpg', faces: [face(1, 10, 'happy'), face(2, 200, 'sad')] },
      { file: 'wall.png', faces: [] },
      { file: 'broken.jpg', error: 'This file is not a picture' },
    ]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(`file,face,x,y,width,height,${EMOTIONS.join(',')},top,note`);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^"group, outdoors\.jpg",1,10,10,50,60,/);
    expect(lines[1]).toMatch(/,happy,$/);
    expect(lines[2]).toMatch(/^"group, outdoors\.jpg",2,200,.*,sad,$/);
    expect(lines[3]).toMatch(/^wall\.png,.*,no face found$/);
    expect(lines[4]).toMatch(/^broken\.jpg,.*,This file is not a picture$/);
    for (const line of lines) expect(line.split(',').length).toBeGreaterThanOrEqual(lines[0].split(',').length);
  });
});
