#!/usr/bin/env node
// `npm test`: every tier of the suite, one after another, each run even when an earlier one
// failed, so that one report shows every failure. Exits non-zero if any tier failed. A tier whose
// prerequisite failed (the app's end-to-end tests need the build) is reported as not run.
import { spawnSync } from 'node:child_process';

/** name, npm script, and the tier it needs to have passed. */
const TIERS = [
  { name: 'type-check', script: 'check' },
  { name: 'lint', script: 'lint' },
  { name: 'unit', script: 'test:unit' },
  { name: 'bench harness', script: 'test:bench' },
  { name: 'factory', script: 'test:factory' },
  { name: 'build', script: 'build' },
  { name: 'app end-to-end', script: 'test:e2e', needs: 'build' },
  { name: 'widget end-to-end', script: 'test:e2e:widget' },
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !TIERS.some((tier) => tier.script === name));
if (unknown.length > 0) {
  console.error(`test-all: unknown tier ${unknown.join(', ')}; tiers: ${TIERS.map((t) => t.script).join(', ')}`);
  process.exit(2);
}

const started = Date.now();
/** @type {Map<string, {status: 'passed' | 'failed' | 'not run', seconds: number, why?: string}>} */
const outcomes = new Map();
for (const tier of TIERS) {
  if (only.length > 0 && !only.includes(tier.script)) continue;
  const prerequisite = tier.needs && outcomes.get(TIERS.find((t) => t.script === tier.needs)?.name ?? '');
  if (prerequisite && prerequisite.status !== 'passed') {
    outcomes.set(tier.name, { status: 'not run', seconds: 0, why: `${tier.needs} failed` });
    continue;
  }
  console.log(`\n=== ${tier.name} (npm run ${tier.script}) ===`);
  const tierStart = Date.now();
  const run = spawnSync('npm', ['run', '--silent', tier.script], { stdio: 'inherit' });
  const seconds = (Date.now() - tierStart) / 1000;
  const status = run.status === 0 ? 'passed' : 'failed';
  const why = run.error ? String(run.error) : run.signal ? `killed by ${run.signal}` : status === 'failed' ? `exit ${run.status}` : undefined;
  outcomes.set(tier.name, { status, seconds, why });
}

const minutes = (Date.now() - started) / 60_000;
console.log(`\n=== summary (${minutes.toFixed(1)} min) ===`);
for (const [name, outcome] of outcomes) {
  const time = outcome.status === 'not run' ? '' : ` ${outcome.seconds.toFixed(0)} s`;
  console.log(`${outcome.status.padEnd(8)} ${name}${time}${outcome.why ? ` (${outcome.why})` : ''}`);
}
const counts = [...outcomes.values()].reduce(
  (acc, o) => ({ passed: acc.passed + (o.status === 'passed' ? 1 : 0), failed: acc.failed + (o.status === 'passed' ? 0 : 1) }),
  { passed: 0, failed: 0 },
);
console.log(`tiers: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed === 0 ? 0 : 1);
