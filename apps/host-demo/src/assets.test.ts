import { describe, expect, it } from 'vitest';
import { buildAssets } from './assets.ts';

describe('buildAssets', () => {
  it('bundles the shell script with the contract’s iframe host', async () => {
    const assets = await buildAssets();
    expect(assets.hostJs).toContain('contact-sync');
    expect(assets.hostJs).not.toMatch(/^import /m);
    expect(assets.hostCss).toContain('.topbar');
  });
});
