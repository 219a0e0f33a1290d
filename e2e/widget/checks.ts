/** Plausibility checks of what a widget reports. */
import { expect } from '@playwright/test';
import type { EmotionsDetail } from '../../src/widget';
import { probabilitySum, ranked } from '../helpers';

const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

/** Boxes inside the picture, seven probabilities summing to 1, `top` the most likely one. */
export function expectPlausible(detail: EmotionsDetail): void {
  expect(detail.width).toBeGreaterThan(0);
  expect(detail.height).toBeGreaterThan(0);
  for (const face of detail.faces) {
    expect(Number.isInteger(face.id)).toBe(true);
    expect(face.box.width).toBeGreaterThan(10);
    expect(face.box.height).toBeGreaterThan(10);
    expect(face.box.x).toBeGreaterThanOrEqual(-2);
    expect(face.box.y).toBeGreaterThanOrEqual(-2);
    expect(face.box.x + face.box.width).toBeLessThanOrEqual(detail.width + 2);
    expect(face.box.y + face.box.height).toBeLessThanOrEqual(detail.height + 2);
    expect(Object.keys(face.probabilities).sort()).toEqual([...EMOTIONS].sort());
    expect(probabilitySum(face.probabilities)).toBeCloseTo(1, 3);
    expect(face.top.label).toBe(ranked(face.probabilities)[0]);
    expect(face.top.probability).toBeCloseTo(face.probabilities[face.top.label], 6);
  }
}

/** The astronaut smiles: 'happy' is among the two likeliest emotions for most copies of her face. */
export function expectMostlyHappy(detail: EmotionsDetail): void {
  const happy = detail.faces.filter((face) => ranked(face.probabilities).slice(0, 2).includes('happy'));
  expect(happy.length, JSON.stringify(detail.faces.map((f) => f.top))).toBeGreaterThan(detail.faces.length / 2);
}
