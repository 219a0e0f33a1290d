/** The peers' emotion label orders, mapped to FER2013's (= moodlens' EMOTIONS). */
import { EMOTIONS, type Emotion } from '../../src/lib';

/** face-api 1.7.15, src/faceExpressionNet/FaceExpressions.ts (FACE_EXPRESSION_LABELS): its output order. */
export const FACE_API_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type FaceApiLabel = (typeof FACE_API_LABELS)[number];

export const FACE_API_NAME: Record<Emotion, FaceApiLabel> = {
  angry: 'angry',
  disgust: 'disgusted',
  fear: 'fearful',
  happy: 'happy',
  sad: 'sad',
  surprise: 'surprised',
  neutral: 'neutral',
};

/** Human 3.3.6, src/gear/emotion.ts load(): the grey (oarriaga) model's output order, the same as FER2013's. */
export const HUMAN_LABELS: readonly Emotion[] = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

/** face-api's expressions (by name) -> probabilities in FER2013 order. */
export function fromFaceApi(expressions: Record<FaceApiLabel, number>): number[] {
  return EMOTIONS.map((emotion) => expressions[FACE_API_NAME[emotion]]);
}

/** A row of face-api's raw network output (FACE_API_LABELS order) -> FER2013 order. */
export function fromFaceApiRow(row: ArrayLike<number>): number[] {
  return EMOTIONS.map((emotion) => row[FACE_API_LABELS.indexOf(FACE_API_NAME[emotion])]);
}

/** Human's emotion list ({score, emotion}, only those above its minConfidence) -> FER2013 order (missing = 0). */
export function fromHuman(emotions: readonly { score: number; emotion: string }[]): number[] {
  return EMOTIONS.map((emotion) => emotions.find((e) => e.emotion === emotion)?.score ?? 0);
}

/** A row of Human's raw emotion-model output (HUMAN_LABELS order) -> FER2013 order. */
export function fromHumanRow(row: ArrayLike<number>): number[] {
  return EMOTIONS.map((emotion) => row[HUMAN_LABELS.indexOf(emotion)]);
}
