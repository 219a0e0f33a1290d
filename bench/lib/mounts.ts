/** The bench origin's layout: what each URL prefix serves. */
import { join } from 'node:path';
import { BUILD_DIR, FACE_API_DIR, FRAMES_DIR, HUMAN_DIR, REPO } from './paths';
import { startServer, type BenchServer } from './server';

export function startBenchServer(): Promise<BenchServer> {
  return startServer({
    '/': BUILD_DIR,
    '/frames/': FRAMES_DIR,
    // The app's own runtime files, as `npm run assets` lays them out for the app.
    '/vendor/': join(REPO, 'static', 'vendor'),
    '/models/': join(REPO, 'static', 'models'),
    '/peers/face-api/': join(FACE_API_DIR, 'model'),
    '/peers/human/': join(HUMAN_DIR, 'models'),
  });
}
