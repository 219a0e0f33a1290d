/** Command-line options: `--name value`, `--name=value`, `--flag`, with checked numbers and a usage text. */
import { parseArgs } from 'node:util';

interface NumberOption {
  type: 'number';
  default: number;
  min: number;
  integer?: boolean;
  help: string;
}
interface StringOption {
  type: 'string';
  default: string;
  help: string;
}
interface FlagOption {
  type: 'flag';
  help: string;
}
export type OptionSpec = NumberOption | StringOption | FlagOption;
type Values<S extends Record<string, OptionSpec>> = {
  [K in keyof S]: S[K] extends NumberOption ? number : S[K] extends StringOption ? string : boolean;
};

export class UsageError extends Error {}

export function usage(command: string, spec: Record<string, OptionSpec>): string {
  const lines = Object.entries(spec).map(([name, option]) => {
    const value = option.type === 'flag' ? '' : ` <${option.type}>`;
    const fallback = option.type === 'flag' || option.default === '' ? '' : ` (default ${JSON.stringify(option.default)})`;
    return `  --${name}${value}`.padEnd(30) + option.help + fallback;
  });
  return [`usage: ${command} [options]`, ...lines, '  --help'.padEnd(30) + 'this text'].join('\n');
}

/** Parses argv against the spec; throws UsageError (with the usage text) on anything unknown or invalid. */
export function parseOptions<S extends Record<string, OptionSpec>>(argv: string[], spec: S, command: string): Values<S> & { help: boolean } {
  const options = Object.fromEntries(Object.entries(spec).map(([name, o]) => [name, { type: o.type === 'flag' ? 'boolean' : 'string' }])) as Record<
    string,
    { type: 'string' | 'boolean' }
  >;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage(command, spec)}`);
  }
  const values: Record<string, unknown> = { help: parsed.values.help === true };
  for (const [name, option] of Object.entries(spec)) {
    const raw = parsed.values[name];
    if (option.type === 'flag') {
      values[name] = raw === true;
    } else if (option.type === 'string') {
      values[name] = raw === undefined ? option.default : String(raw);
    } else {
      if (raw === undefined) {
        values[name] = option.default;
        continue;
      }
      const number = Number(raw);
      if (raw === '' || !Number.isFinite(number) || number < option.min || (option.integer && !Number.isInteger(number))) {
        const kind = option.integer ? 'a whole number' : 'a number';
        throw new UsageError(`--${name} must be ${kind} >= ${option.min}, got ${JSON.stringify(raw)}`);
      }
      values[name] = number;
    }
  }
  return values as Values<S> & { help: boolean };
}

/** "a,b,c" -> ['a', 'b', 'c'] (empty items dropped). */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
