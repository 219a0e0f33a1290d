/** Test helper: a fetch that serves URLs like '/models/x/model.json' from a folder on disk. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export function fileFetch(root: string): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    try {
      const body = await readFile(join(root, decodeURIComponent(url)));
      return new Response(new Uint8Array(body), { status: 200 });
    } catch {
      return new Response('Not Found', { status: 404 });
    }
  }) as typeof fetch;
}
