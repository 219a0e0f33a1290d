// Runs a TypeScript command module (its `main(args)`) through Vite's module runner, which loads
// TypeScript (and src/lib) without a build step. The runner closes once the module is loaded:
// commands must not use dynamic import().
import { runnerImport } from 'vite';

export async function launch(file, args, name) {
  try {
    const { module } = await runnerImport(file, { configFile: false, logLevel: 'warn' });
    await module.main(args);
  } catch (error) {
    // Bad options and missing inputs get their message, not a stack trace.
    const expected = ['UsageError', 'DatasetError', 'ReadmeError'].includes(error?.constructor?.name);
    console.error(`${name}: ${expected ? error.message : (error?.stack ?? error)}`);
    process.exitCode = error?.constructor?.name === 'UsageError' ? 2 : 1;
  }
}
