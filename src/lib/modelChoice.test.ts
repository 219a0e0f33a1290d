import { describe, expect, it, vi } from 'vitest';
import { chooseModels, modelsFor } from './modelChoice';

const BASE = 'https://cdn.example/widget/';

describe('modelsFor', () => {
  it('maps each choice to model folders, with another fast model when named', () => {
    expect(modelsFor('fast')).toEqual(['mini-xception']);
    expect(modelsFor('accurate', 'custom')).toEqual(['attention']);
    expect(modelsFor('both', 'custom')).toEqual(['custom', 'attention']);
  });
});

describe('chooseModels', () => {
  it('gives the chosen models when the attention model is there', async () => {
    const probe = vi.fn(async () => true);
    expect(await chooseModels('fast', BASE, { probe })).toEqual(['mini-xception']);
    expect(probe).not.toHaveBeenCalled(); // the fast model needs no look-up
    expect(await chooseModels('accurate', BASE, { probe })).toEqual(['attention']);
    expect(await chooseModels('both', BASE, { probe })).toEqual(['mini-xception', 'attention']);
    expect(probe).toHaveBeenCalledWith(BASE, 'attention');
  });

  it('falls back to the fast model without the attention model, and says so once', async () => {
    const warn = vi.fn();
    const options = { probe: async () => false, warn, askedAs: '<emotion-detector> model=' };
    expect(await chooseModels('accurate', BASE, options)).toEqual(['mini-xception']);
    expect(await chooseModels('accurate', BASE, options)).toEqual(['mini-xception']);
    expect(await chooseModels('both', BASE, options)).toEqual(['mini-xception']);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      expect.stringContaining(`model="accurate" needs ${BASE}models/attention/`),
      expect.stringContaining('model="both"'),
    ]);
  });
});
