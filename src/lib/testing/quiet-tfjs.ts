/** Vitest setup: TF.js's own notices (e.g. "running in Node.js, install tfjs-node") are for apps,
 * not for test logs, where they repeat once per file. Errors still throw as usual. */
import * as tf from '@tensorflow/tfjs';

tf.env().set('IS_TEST', true);
