// Turns the raw times of the benchmark page (scripts/bench/bench-page.ts) into models/speed.json
// entries and a table. Pure functions, tested in tests/bench-stats.test.ts.

/** @param {number[]} values */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (/** @type {number} */ value) => Math.round(value * 1000) / 1000;

/** The run name in a factory training command (`... --name aer-cnn-a`), which the factory's
 * results table (factory/report.py) uses as its key. A chained command (`A && B --init-from A`)
 * built its model in the last run it names. @param {string | null} command */
export function trainingRun(command) {
  const names = command ? [...command.matchAll(/--name[ =](\S+)/g)] : [];
  return names.length ? names[names.length - 1][1] : null;
}

/**
 * One speed.json entry per model: median milliseconds per face for a batch of 1 and of `batch`.
 * @param {Record<string, { architecture: string | null, trainingCommand: string | null, times: Record<number, number[]> }>} models
 * @param {number} batch
 */
export function summariseModels(models, batch = 8) {
  /** @type {Record<string, { msPerFace: number, msPerFaceBatch8: number, runs: number, architecture: string | null, run: string | null }>} */
  const summary = {};
  for (const [name, { architecture, trainingCommand, times }] of Object.entries(models)) {
    const single = times[1];
    const batched = times[batch];
    if (!single?.length || !batched?.length) throw new Error(`model ${name}: missing times for batches of 1 and ${batch}`);
    summary[name] = {
      msPerFace: round(median(single)),
      msPerFaceBatch8: round(median(batched) / batch),
      runs: Math.min(single.length, batched.length),
      architecture,
      run: trainingRun(trainingCommand),
    };
  }
  return summary;
}

/** A plain-text table of speed entries. @param {Record<string, { msPerFace: number, msPerFaceBatch8: number, runs: number, architecture: string | null }>} models @param {string} title */
export function formatTable(models, title) {
  const rows = [['model', 'architecture', 'ms/face (1 face)', 'ms/face (batch of 8)', 'runs']];
  for (const [name, m] of Object.entries(models)) {
    rows.push([name, m.architecture ?? '?', m.msPerFace.toFixed(2), m.msPerFaceBatch8.toFixed(2), String(m.runs)]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (/** @type {string[]} */ row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [title, line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
