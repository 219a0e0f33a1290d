import { describe, expect, it, vi } from 'vitest';
import { resolveModels } from './models';

const BASE = 'https://cdn.example/widget/';

describe('resolveModels', () => {
  it('maps fast, accurate and both to model folders when the attention model is there', async () => {
    const probe = vi.fn(async () => true);
    expect(await resolveModels('fast', BASE, probe)).toEqual(['mini-xception']);
    expect(probe).not.toHaveBeenCalled(); // the fast model needs no look-up
    expect(await resolveModels('accurate', BASE, probe)).toEqual(['attention']);
    expect(await resolveModels('both', BASE, probe)).toEqual(['mini-xception', 'attention']);
    expect(probe).toHaveBeenCalledWith(BASE, 'attention');
  });

  it('falls back to the fast model without the attention model, and says so once', async () => {
    const warn = vi.fn();
    const missing = async () => false;
    expect(await resolveModels('accurate', BASE, missing, warn)).toEqual(['mini-xception']);
    expect(await resolveModels('accurate', BASE, missing, warn)).toEqual(['mini-xception']);
    expect(await resolveModels('both', BASE, missing, warn)).toEqual(['mini-xception']);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      expect.stringContaining(`model="accurate" needs ${BASE}models/attention/`),
      expect.stringContaining('model="both"'),
    ]);
  });
});
