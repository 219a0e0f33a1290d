/** Generates the fixtures (face clip, photos, bad files) unless they are newer than their generator. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { FIXTURES, GENERATED, GENERATOR } from './fixtures/paths';

// Debian's python3 has numpy, PIL and scikit-image; another python3 on PATH may not.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export default function globalSetup(): void {
  const outputs = Object.values(FIXTURES);
  const generatorTime = statSync(GENERATOR).mtimeMs;
  const fresh = outputs.every((path) => existsSync(path) && statSync(path).mtimeMs >= generatorTime);
  if (fresh) return;
  execFileSync(PYTHON, [GENERATOR, GENERATED], { stdio: 'inherit' });
}
