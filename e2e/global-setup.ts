/** Generates the fixtures (face clip, photos, bad files) and random-weight models unless they are
 * newer than their generators. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, GENERATED, GENERATOR, RANDOM_MODELS } from './fixtures/paths';

// Debian's python3 has numpy, PIL, scikit-image and torch; another python3 on PATH may not.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FACTORY = 'factory';

function newerThan(outputs: string[], sourceTime: number): boolean {
  return outputs.every((path) => existsSync(path) && statSync(path).mtimeMs >= sourceTime);
}

/** The attention models the app may ship, with random weights (a few seconds of PyTorch). */
function ensureRandomModels(): void {
  const factoryTime = Math.max(...readdirSync(FACTORY).filter((f) => f.endsWith('.py')).map((f) => statSync(join(FACTORY, f)).mtimeMs));
  const outputs = ['aer-cnn', 'deep-emotion'].map((arch) => join(RANDOM_MODELS, arch, 'weights.bin'));
  if (newerThan(outputs, factoryTime)) return;
  execFileSync(PYTHON, ['-m', 'factory.random_export', RANDOM_MODELS], { stdio: 'inherit' });
}

export default function globalSetup(): void {
  if (!newerThan(Object.values(FIXTURES), statSync(GENERATOR).mtimeMs)) {
    execFileSync(PYTHON, [GENERATOR, GENERATED], { stdio: 'inherit' });
  }
  ensureRandomModels();
}
