/** What every benchmark command does around its measurement: progress lines on stderr, and its
 * results written as `<name>.json` (the data) and `<name>.md` (the README's table). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function progressLog(command: string): (message: string) => void {
  return (message) => process.stderr.write(`${command}: ${message}\n`);
}

/** Writes both files into `outDir` (created if needed) and returns the json's path. */
export function writeResults(outDir: string, name: string, output: object, markdown: string): string {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const json = join(out, `${name}.json`);
  writeFileSync(json, `${JSON.stringify(output, null, 2)}\n`);
  writeFileSync(join(out, `${name}.md`), markdown);
  return json;
}
