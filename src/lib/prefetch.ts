/**
 * Downloads a detector's model files as soon as it is created. Fetching them needs no TF.js
 * backend, only building them does: without this they were requested after the backend's code and
 * wasm had loaded, one round trip after another (metadata, model.json, weights), while the network
 * sat idle during the wasm compile. Each early response goes to the first fetch of its URL, once;
 * every other request goes to the network as usual.
 */
import type { Fetch } from './modelFiles';

export interface Prefetcher {
  /** A TF.js model.json now, and its weight files (beside it) as soon as it has arrived. */
  modelJson(url: string): void;
  /** One of our emotion models: its folder's metadata.json, model.json and weights. */
  emotionModel(folder: string): void;
  /** fetch() that hands out the early responses. */
  readonly fetch: Fetch;
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** `fetchImpl`: called at each request, so a fetch wrapped later (load progress) still counts. */
export function createPrefetcher(fetchImpl: Fetch): Prefetcher {
  const early = new Map<string, Promise<Response>>();
  /** URLs already asked for by their user: fetching them again would download them twice. */
  const asked = new Set<string>();

  function file(url: string): Promise<Response> | undefined {
    if (early.has(url) || asked.has(url)) return undefined;
    const response = fetchImpl(url);
    response.catch(() => {}); // the fetch that takes it reports the failure
    early.set(url, response);
    return response;
  }

  function modelJson(url: string): void {
    const folder = url.slice(0, url.lastIndexOf('/') + 1);
    void file(url)
      ?.then((response) => (response.ok ? response.clone().json() : null))
      .then((json: { weightsManifest?: { paths?: unknown[] }[] } | null) => {
        for (const group of json?.weightsManifest ?? []) {
          for (const path of group?.paths ?? []) if (typeof path === 'string') file(folder + path);
        }
      })
      .catch(() => {}); // not JSON: its user finds out and says so
  }

  return {
    modelJson,
    emotionModel(folder) {
      file(`${folder}metadata.json`);
      modelJson(`${folder}model.json`);
    },
    fetch: (input, init) => {
      const url = urlOf(input);
      const response = (init?.method ?? 'GET') === 'GET' ? early.get(url) : undefined;
      asked.add(url);
      if (!response) return fetchImpl(input, init);
      early.delete(url);
      return response;
    },
  };
}
