/** The core's defaults, stated once: the detector, the app and the widget read them from here.
 * (No imports, so that the widget's first, small script can read them without loading TF.js.) */

/** More faces than this in one picture: only the most confident ones are analysed. */
export const DEFAULT_MAX_FACES = 20;

/** Weight of the past when smoothing a video face's probabilities (see smoothing.ts). */
export const DEFAULT_SMOOTHING = 0.6;

/** Larger pictures are analysed scaled down to this longest side (pixels). */
export const DEFAULT_MAX_ANALYSIS_SIDE = 1920;

/** Faces the detector scores lower are dropped (MediaPipe's own default). Faces found only in a
 * photo's tiles need 0.25 more (see faceSearch.ts). */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** The smallest face to find, as the face detector's box (which is ~0.85 of a FER2013-style crop:
 * 32 px here is a 40 px face crop). Smaller faces hold too little for an expression. */
export const DEFAULT_MIN_FACE_SIZE = 32;
