/**
 * The `model` attribute -> emotion model folder names. "accurate" needs the attention model,
 * which not every build ships: without it the widget falls back to the fast model and says so.
 */
import type { ModelChoice } from './attributes';

export const FAST_MODEL = 'mini-xception';
export const ACCURATE_MODEL = 'attention';

export type ModelProbe = (assetBase: string, name: string) => Promise<boolean>;

const probes = new Map<string, Promise<boolean>>();
/** Each fallback is announced once per page, not on every start. */
const warned = new Set<string>();

/** Whether `<assetBase>models/<name>/metadata.json` can be fetched (asked once per URL). */
export const modelAvailable: ModelProbe = (assetBase, name) => {
  const url = `${assetBase}models/${name}/metadata.json`;
  let probe = probes.get(url);
  if (!probe) {
    probe = fetch(url).then(
      async (response) => {
        await response.body?.cancel();
        return response.ok;
      },
      () => false,
    );
    probes.set(url, probe);
  }
  return probe;
};

export async function resolveModels(
  choice: ModelChoice,
  assetBase: string,
  probe: ModelProbe = modelAvailable,
  warn: (message: string) => void = console.warn,
): Promise<string[]> {
  if (choice === 'fast') return [FAST_MODEL];
  if (await probe(assetBase, ACCURATE_MODEL)) return choice === 'accurate' ? [ACCURATE_MODEL] : [FAST_MODEL, ACCURATE_MODEL];
  const message =
    `<emotion-detector> model="${choice}" needs ${assetBase}models/${ACCURATE_MODEL}/, which this build does not ship; ` +
    `using the fast model (${FAST_MODEL}) instead.`;
  if (!warned.has(message)) warn(message);
  warned.add(message);
  return [FAST_MODEL];
}
