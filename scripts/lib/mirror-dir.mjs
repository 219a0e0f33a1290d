// Makes a folder an exact copy of another: copies new or changed files, deletes the ones the source
// no longer has. "Changed" means a different size or modification time (copies keep the source
// mtime), so an up-to-date mirror costs one stat per file.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} source folder to copy from
 * @param {string} target folder to fill (created if needed)
 * @param {(name: string) => boolean} [include] which top-level entries (files or folders) to take (default: all)
 * @returns {{ files: number, copied: number, deleted: number }}
 */
export function mirrorDir(source, target, include = () => true) {
  const result = { files: 0, copied: 0, deleted: 0 };
  mirrorInto(source, target, include, result);
  return result;
}

/** @param {string} source @param {string} target @param {(name: string) => boolean} include @param {{ files: number, copied: number, deleted: number }} result */
function mirrorInto(source, target, include, result) {
  mkdirSync(target, { recursive: true });
  const wanted = new Set();
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (!include(entry.name)) continue;
    wanted.add(entry.name);
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) {
      if (existsSync(to) && !statSync(to).isDirectory()) rmSync(to, { force: true });
      mirrorInto(from, to, () => true, result);
      continue;
    }
    result.files++;
    if (isSameFile(from, to)) continue;
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { preserveTimestamps: true, dereference: true });
    result.copied++;
  }
  for (const name of readdirSync(target)) {
    if (wanted.has(name)) continue;
    rmSync(join(target, name), { recursive: true, force: true });
    result.deleted++;
  }
}

/** @param {string} from @param {string} to */
function isSameFile(from, to) {
  if (!existsSync(to)) return false;
  const a = statSync(from);
  const b = statSync(to);
  // utimes() keeps only about millisecond precision: allow for the rounding.
  return b.isFile() && a.size === b.size && Math.abs(a.mtimeMs - b.mtimeMs) < 2;
}
