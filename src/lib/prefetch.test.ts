import { describe, expect, it } from 'vitest';
import { createPrefetcher } from './prefetch';

/** A fake network: each request is logged; bodies by URL, others 404. */
function network(files: Record<string, string>) {
  const requests: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requests.push(url);
    if (url.endsWith('/down')) throw new TypeError('Failed to fetch');
    return url in files ? new Response(files[url], { status: 200 }) : new Response('Not found', { status: 404 });
  }) as typeof fetch;
  return { requests, fetchImpl };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const MODEL_JSON = JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['weights.bin', 'more.bin'], weights: [] }] });

describe('createPrefetcher', () => {
  it("fetches an emotion model's metadata, model.json and the weights it lists, each once", async () => {
    const { requests, fetchImpl } = network({ '/m/a/metadata.json': '{}', '/m/a/model.json': MODEL_JSON, '/m/a/weights.bin': 'w', '/m/a/more.bin': 'x' });
    const early = createPrefetcher(fetchImpl);
    early.emotionModel('/m/a/');
    await settle();
    expect(requests).toEqual(['/m/a/metadata.json', '/m/a/model.json', '/m/a/weights.bin', '/m/a/more.bin']);

    // Its user reads the same files: no second download, and the bodies are intact.
    expect(await (await early.fetch('/m/a/model.json')).text()).toBe(MODEL_JSON);
    expect(await (await early.fetch('/m/a/weights.bin')).text()).toBe('w');
    expect(requests).toHaveLength(4);
    // An early response is handed out once: asked again, the file comes from the network.
    expect(await (await early.fetch('/m/a/weights.bin')).text()).toBe('w');
    expect(requests).toHaveLength(5);
  });

  it('finds the weights of a model.json beside it, wherever it is', async () => {
    const { requests, fetchImpl } = network({ '/vendor/face/face.json': JSON.stringify({ weightsManifest: [{ paths: ['face.bin'] }] }) });
    createPrefetcher(fetchImpl).modelJson('/vendor/face/face.json');
    await settle();
    expect(requests).toEqual(['/vendor/face/face.json', '/vendor/face/face.bin']);
  });

  it('does not download a file twice when its user asked for it first', async () => {
    const { requests, fetchImpl } = network({ '/m/a/model.json': MODEL_JSON });
    const early = createPrefetcher(fetchImpl);
    await early.fetch('/m/a/weights.bin');
    early.emotionModel('/m/a/');
    await settle();
    expect(requests.filter((url) => url === '/m/a/weights.bin')).toHaveLength(1);
  });

  it('leaves failures to the fetch that takes them, and a broken model.json to its user', async () => {
    const { requests, fetchImpl } = network({ '/m/a/model.json': 'not json' });
    const early = createPrefetcher(fetchImpl);
    early.emotionModel('/m/a/');
    early.modelJson('/m/down');
    await settle();
    expect(requests).toEqual(['/m/a/metadata.json', '/m/a/model.json', '/m/down']);
    expect((await early.fetch('/m/a/metadata.json')).status).toBe(404);
    await expect(early.fetch('/m/down')).rejects.toThrow('Failed to fetch');
    expect(await (await early.fetch('/m/a/model.json')).text()).toBe('not json');
  });

  it('passes other requests through', async () => {
    const { requests, fetchImpl } = network({ '/m/a/metadata.json': '{}' });
    const early = createPrefetcher(fetchImpl);
    early.emotionModel('/m/a/');
    await early.fetch('/m/a/metadata.json', { method: 'POST' });
    expect(requests.filter((url) => url === '/m/a/metadata.json')).toHaveLength(2);
  });
});
