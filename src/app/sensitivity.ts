/** The photo view's one sensitivity control: three presets of the core's two settings (the
 * smallest face, in pixels of the analysed picture, and the face detector's score threshold). */
import { DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_FACE_SIZE, type EmotionDetectorOptions } from '../lib';

export type Sensitivity = 'more' | 'clear' | 'large';

export const SENSITIVITIES: { id: Sensitivity; label: string; options: Required<Pick<EmotionDetectorOptions, 'minFaceSize' | 'minDetectionConfidence'>> }[] = [
  { id: 'more', label: 'Every face, even tiny or unsure ones (slower)', options: { minFaceSize: 24, minDetectionConfidence: 0.45 } },
  { id: 'clear', label: 'Clear faces (recommended)', options: { minFaceSize: DEFAULT_MIN_FACE_SIZE, minDetectionConfidence: DEFAULT_MIN_CONFIDENCE } },
  { id: 'large', label: 'Only large, clear faces', options: { minFaceSize: 96, minDetectionConfidence: DEFAULT_MIN_CONFIDENCE } },
];

export const DEFAULT_SENSITIVITY: Sensitivity = 'clear';

export function sensitivityOptions(id: Sensitivity) {
  return (SENSITIVITIES.find((s) => s.id === id) ?? SENSITIVITIES[1]).options;
}
