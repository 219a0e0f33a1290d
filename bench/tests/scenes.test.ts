import { describe, expect, it } from 'vitest';
import { halfExtent, makeScene, matchFaces, SCENE_KINDS } from '../accuracy/scenes';
import { seededRandom } from '../lib/random';

const flat = (level: number) => ({ pixels: new Float32Array(48 * 48).fill(level), index: 0 });

describe('scenes of small and many faces', () => {
  it('places faces of the kind, inside the frame, apart, the same for the same seed', () => {
    for (const kind of SCENE_KINDS) {
      let n = 0;
      const next = () => ({ ...flat(0), index: n++ });
      const scene = makeScene(kind, next, seededRandom(3));
      expect(scene.rgb.length).toBe(kind.width * kind.height * 3);
      expect(scene.faces.length).toBeGreaterThanOrEqual(1);
      expect(scene.faces.length).toBeLessThanOrEqual(kind.faces[1]);
      expect(scene.faces.map((f) => f.index)).toEqual(scene.faces.map((_, i) => i));
      for (const f of scene.faces) {
        expect(f.side).toBeGreaterThanOrEqual(kind.sides[0]);
        expect(f.side).toBeLessThanOrEqual(kind.sides[1]);
        expect(Math.abs(f.angle)).toBeLessThanOrEqual((12 * Math.PI) / 180);
        const [cx, cy, half] = [f.x + f.side / 2, f.y + f.side / 2, halfExtent(f.side, f.angle)];
        expect(cx - half >= 0 && cy - half >= 0 && cx + half <= kind.width && cy + half <= kind.height).toBe(true);
        // The face was painted: its centre pixel is the face's grey (0), not the background.
        const at = (Math.floor(cy) * kind.width + Math.floor(cx)) * 3;
        expect(scene.rgb[at]).toBe(0);
      }
      for (const a of scene.faces) {
        for (const b of scene.faces) {
          if (a === b) continue;
          const reach = halfExtent(a.side, a.angle) + halfExtent(b.side, b.angle);
          const dx = Math.abs(a.x + a.side / 2 - (b.x + b.side / 2));
          const dy = Math.abs(a.y + a.side / 2 - (b.y + b.side / 2));
          expect(dx > reach || dy > reach).toBe(true);
        }
      }
      const again = makeScene(kind, () => flat(0), seededRandom(3));
      expect(again.faces.map((f) => [f.x, f.y, f.side])).toEqual(scene.faces.map((f) => [f.x, f.y, f.side]));
    }
  });

  it('matches each face to at most one detection and counts the rest as false', () => {
    const faces = [
      { index: 0, x: 0, y: 0, side: 100, angle: 0 },
      { index: 1, x: 200, y: 0, side: 100, angle: 0 },
    ];
    const det = (x: number, y: number, side: number) => ({ box: { x, y, width: side, height: side }, probabilities: [] });
    const exact = det(5, 5, 90);
    const loose = det(30, 30, 60); // also on face 0, overlapping it less
    const elsewhere = det(500, 500, 50);
    const { matched, extra } = matchFaces([loose, elsewhere, exact], faces);
    expect(matched).toEqual([exact, undefined]);
    expect(extra).toBe(2); // the second box on face 0 and the one on nothing
  });
});
