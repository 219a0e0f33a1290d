/**
 * What the app's picker and the widget's `model` attribute offer: the fast model, the accurate
 * (attention) model, or both averaged. Not every build ships the accurate model: chooseModels()
 * then falls back to the fast one and says so once per page.
 */
export const MODEL_CHOICES = ['fast', 'accurate', 'both'] as const;
export type ModelChoice = (typeof MODEL_CHOICES)[number];

export const FAST_MODEL = 'mini-xception';
export const ACCURATE_MODEL = 'attention';

/** Model folder names for a choice; `fastModel` replaces mini-xception (e.g. the app's ?model=). */
export function modelsFor(choice: ModelChoice, fastModel: string = FAST_MODEL): string[] {
  if (choice === 'fast') return [fastModel];
  if (choice === 'accurate') return [ACCURATE_MODEL];
  return [fastModel, ACCURATE_MODEL];
}

/** Whether `<assetBase>models/<name>/metadata.json` can be fetched. */
export type ModelProbe = (assetBase: string, name: string) => Promise<boolean>;

const probes = new Map<string, Promise<boolean>>();
const warned = new Set<string>();

/** Asks the host once per URL. */
export const modelAvailable: ModelProbe = (assetBase, name) => {
  const url = `${assetBase}models/${name}/metadata.json`;
  let probe = probes.get(url);
  if (!probe) {
    probe = fetch(url).then(
      async (response) => {
        await response.body?.cancel();
        return response.ok && !(response.headers.get('content-type') ?? '').includes('text/html');
      },
      () => false,
    );
    probes.set(url, probe);
  }
  return probe;
};

export interface ChooseModelsOptions {
  fastModel?: string;
  probe?: ModelProbe;
  /** Told once per page and message when the accurate model is missing. */
  warn?: (message: string) => void;
  /** Names the asker in the warning, e.g. '<emotion-detector> model='. */
  askedAs?: string;
}

/** The models for `choice`, or the fast model alone when this build lacks the accurate one. */
export async function chooseModels(choice: ModelChoice, assetBase: string, options: ChooseModelsOptions = {}): Promise<string[]> {
  const { fastModel = FAST_MODEL, probe = modelAvailable, warn = console.warn, askedAs = 'model ' } = options;
  if (choice === 'fast') return [fastModel];
  if (await probe(assetBase, ACCURATE_MODEL)) return modelsFor(choice, fastModel);
  const message =
    `${askedAs}"${choice}" needs ${assetBase}models/${ACCURATE_MODEL}/, which this build does not ship; ` +
    `using the fast model (${fastModel}) instead.`;
  if (!warned.has(message)) warn(message);
  warned.add(message);
  return [fastModel];
}
