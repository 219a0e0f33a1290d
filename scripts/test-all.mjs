#!/usr/bin/env node
// `npm test`: every tier of the suite, each run even when another failed, so that one report
// shows every failure. Exits non-zero if any tier failed. A tier whose prerequisite failed (the
// end-to-end tests need both builds) is reported as not run.
//
// Tiers run side by side: most are single-threaded, and on a machine shared with another
// CPU-heavy job (a training, a second test run) several of our processes get more of the CPU
// than one at a time would. The end-to-end tests start as soon as both builds are done. Each
// side tier's output is printed in one piece when it ends; the end-to-end output streams live.
//
//   node scripts/test-all.mjs [script ...]   e.g. `node scripts/test-all.mjs check lint`
import { spawn } from 'node:child_process';

/** name, npm script, the tiers it needs to have passed, and whether its output streams live. */
const TIERS = [
  { name: 'build', script: 'build' },
  // After the app's: both copy the same assets into static/ first.
  { name: 'widget build', script: 'build:widget', needs: ['build'] },
  // One Playwright run for the app and the widget: its two workers share all the work.
  { name: 'end-to-end', script: 'test:e2e', needs: ['build', 'build:widget'], live: true },
  { name: 'factory', script: 'test:factory' },
  { name: 'unit', script: 'test:unit' },
  { name: 'type-check', script: 'check' },
  { name: 'lint', script: 'lint' },
  { name: 'bench harness', script: 'test:bench' },
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !TIERS.some((tier) => tier.script === name));
if (unknown.length > 0) {
  console.error(`test-all: unknown tier ${unknown.join(', ')}; tiers: ${TIERS.map((t) => t.script).join(', ')}`);
  process.exit(2);
}
const selected = TIERS.filter((tier) => only.length === 0 || only.includes(tier.script));

const started = Date.now();
/** @type {Map<string, {status: 'passed' | 'failed' | 'not run', seconds: number, why?: string}>} */
const outcomes = new Map();
const minutes = () => ((Date.now() - started) / 60_000).toFixed(1);

/** Runs one tier; resolves with its outcome (never rejects). */
function run(tier) {
  return new Promise((resolve) => {
    const tierStart = Date.now();
    console.log(`\n=== ${tier.name} (npm run ${tier.script}) started at ${minutes()} min ===`);
    const child = spawn('npm', ['run', '--silent', tier.script], { stdio: tier.live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    const finish = (status, why) => {
      const seconds = (Date.now() - tierStart) / 1000;
      if (!tier.live) {
        console.log(`\n=== ${tier.name}: output ===`);
        process.stdout.write(Buffer.concat(output));
      }
      console.log(`=== ${tier.name}: ${status} in ${seconds.toFixed(0)} s (at ${minutes()} min) ===`);
      resolve({ status, seconds, why });
    };
    child.on('error', (error) => finish('failed', String(error)));
    child.on('close', (code, signal) => {
      if (code === 0) finish('passed');
      else finish('failed', signal ? `killed by ${signal}` : `exit ${code}`);
    });
  });
}

/** Starts every tier whose prerequisites are settled; skips those whose prerequisites failed. */
async function runAll() {
  const pending = new Set(selected);
  const running = new Map();
  while (pending.size > 0 || running.size > 0) {
    for (const tier of [...pending]) {
      const needs = (tier.needs ?? []).filter((script) => selected.some((t) => t.script === script));
      const states = needs.map((script) => outcomes.get(TIERS.find((t) => t.script === script).name)?.status);
      if (states.some((state) => state === undefined)) continue; // still running
      pending.delete(tier);
      const unmet = needs.filter((_, i) => states[i] !== 'passed');
      if (unmet.length > 0) {
        outcomes.set(tier.name, { status: 'not run', seconds: 0, why: `${unmet.join(' and ')} failed` });
        continue;
      }
      running.set(
        tier.name,
        run(tier).then((outcome) => {
          outcomes.set(tier.name, outcome);
          running.delete(tier.name);
        }),
      );
    }
    if (running.size > 0) await Promise.race(running.values());
  }
}

await runAll();
console.log(`\n=== summary (${minutes()} min) ===`);
for (const tier of selected) {
  const outcome = outcomes.get(tier.name);
  const time = outcome.status === 'not run' ? '' : ` ${outcome.seconds.toFixed(0)} s`;
  console.log(`${outcome.status.padEnd(8)} ${tier.name}${time}${outcome.why ? ` (${outcome.why})` : ''}`);
}
const failed = selected.filter((tier) => outcomes.get(tier.name).status !== 'passed').length;
console.log(`tiers: ${selected.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
