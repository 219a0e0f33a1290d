/**
 * The npm package as a client meets it: `npm pack` of widget-dist/, a fresh Vite project in a
 * temporary folder outside the repo, the tarball installed from the file (offline: the package has
 * no dependencies), its assets copied by its own `moodlens-assets` command, the project built with
 * Vite and served; then the page uses both the ESM API and the <emotion-detector> element, at
 * once (two detectors starting together once broke TF.js: backend selection is now serialised).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

declare global {
  interface Window {
    __api?: { faces: number; labels: string[] } | { error: string };
    __widget?: number;
  }
}

const VITE = resolve('node_modules/vite/bin/vite.js');
const PHOTO = resolve('e2e/fixtures/generated/group.jpg');

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>fresh project</title></head>
  <body>
    <img id="photo" src="/group.jpg" alt="" />
    <emotion-detector id="widget" source="/group.jpg" asset-base="/moodlens/" backend="wasm" autostart></emotion-detector>
    <script type="module" src="/main.ts"></script>
  </body>
</html>
`;

const MAIN_TS = `import { createEmotionDetector, type EmotionResult } from 'moodlens';

declare global {
  interface Window { __api?: { faces: number; labels: string[] } | { error: string }; __widget?: number }
}

document.querySelector('emotion-detector')!.addEventListener('emotions', (event) => {
  window.__widget = event.detail.faces.length;
});

const photo = document.querySelector<HTMLImageElement>('#photo')!;
photo.decode()
  .then(() => createEmotionDetector({ assetBase: '/moodlens/', backend: 'wasm' }))
  .then(async (detector) => {
    const result: EmotionResult = await detector.detect(photo);
    detector.close();
    window.__api = { faces: result.faces.length, labels: result.faces.map((face) => face.top.label) };
  })
  .catch((error: Error) => (window.__api = { error: String(error) }));
`;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

async function serve(dir: string): Promise<{ url: string; server: ChildProcess }> {
  const port = await freePort();
  const server = spawn(process.execPath, [VITE, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir, stdio: 'pipe' });
  const url = `http://127.0.0.1:${port}/`;
  await new Promise<void>((ready, fail) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(String(port))) ready();
    };
    server.stdout!.on('data', collect);
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    server.on('exit', (code) => fail(new Error(`vite preview exited (${code}): ${output}`)));
  });
  return { url, server };
}

test('a fresh Vite project installs the packed package and uses its API and element', async ({ page }) => {
  expect(existsSync('widget-dist/package.json'), 'build the widget first (npm run build:widget)').toBe(true);
  const root = mkdtempSync(join(tmpdir(), 'moodlens-client-'));
  let server: ChildProcess | undefined;
  try {
    const tarball = run('npm', ['pack', resolve('widget-dist'), '--pack-destination', root, '--silent'], root).trim().split('\n').pop()!;
    const project = join(root, 'project');
    mkdirSync(join(project, 'public'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-project', private: true, type: 'module' }, null, 2));
    writeFileSync(join(project, 'index.html'), INDEX_HTML);
    writeFileSync(join(project, 'main.ts'), MAIN_TS);
    copyFileSync(PHOTO, join(project, 'public/group.jpg'));

    run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(root, tarball)], project);
    const copied = run(join(project, 'node_modules/.bin/moodlens-assets'), [], project);
    expect(copied).toContain('public/moodlens');
    expect(existsSync(join(project, 'public/moodlens/models/mini-xception/model.json'))).toBe(true);
    run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], project);

    const served = await serve(project);
    server = served.server;
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(served.url);

    await page.waitForFunction(() => window.__api !== undefined);
    const api = await page.evaluate(() => window.__api);
    expect(api).toMatchObject({ faces: expect.any(Number) });
    const { faces, labels } = api as { faces: number; labels: string[] };
    expect(faces).toBe(6); // fixtures.json: the group photo's faces
    expect(labels.filter((label) => label === 'happy').length).toBeGreaterThanOrEqual(2);

    await page.waitForFunction(() => window.__widget !== undefined);
    expect(await page.evaluate(() => window.__widget)).toBe(faces);
    expect(failed).toEqual([]);
  } finally {
    server?.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
