import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, PAGE_MODEL_KINDS, PAGE_OPTIMIZER_KINDS, parsePageParams, readSettings, resolveDataFolder } from '../web/ui/params.js';

const PAGE = 'http://localhost:4173/app/index.html';

describe('parsePageParams', () => {
  it('gives the CLI defaults, the data folder next to the page and no autostart for a bare URL', () => {
    const { params, error } = parsePageParams(PAGE);
    expect(error).toBeNull();
    expect(params.settings).toEqual({ model: 'cnn', backend: 'auto', epochs: 5, batchSize: 32, lr: 0.001, optimizer: 'adam', limit: 60000, testLimit: 10000, seed: 0 });
    expect(params.data).toBe('http://localhost:4173/app/data/');
    expect(params.autostart).toBe(false);
  });

  it('reads every parameter of a scripted run', () => {
    const { params, error } = parsePageParams(
      `${PAGE}?backend=webgpu&model=mlp&epochs=2&batchSize=64&lr=1e-2&optimizer=sgd&limit=500&testLimit=300&seed=7&data=https://example.org/fmnist&autostart=1`,
    );
    expect(error).toBeNull();
    expect(params.settings).toEqual({ model: 'mlp', backend: 'webgpu', epochs: 2, batchSize: 64, lr: 0.01, optimizer: 'sgd', limit: 500, testLimit: 300, seed: 7 });
    expect(params.data).toBe('https://example.org/fmnist/');
    expect(params.autostart).toBe(true);
  });

  it('names the parameter, what it must be and the value given, keeps the default and does not autostart', () => {
    const { params, error } = parsePageParams(`${PAGE}?epochs=abc&limit=500&autostart=1`);
    expect(error).toBe('epochs must be a positive integer, got "abc"');
    expect(params.settings.epochs).toBe(5);
    expect(params.settings.limit).toBe(500);
    expect(params.autostart).toBe(false);
  });

  it.each([
    ['epochs=0', 'epochs must be a positive integer, got "0"'],
    ['batchSize=1.5', 'batchSize must be a positive integer, got "1.5"'],
    ['lr=-1', 'lr must be a positive number such as 0.001 or 1e-3, got "-1"'],
    ['lr=0', 'lr must be a positive number such as 0.001 or 1e-3, got "0"'],
    ['seed=-3', 'seed must be a non-negative integer, got "-3"'],
    ['backend=metal', 'backend must be one of auto, cpu, webgpu, tfjs, got "metal"'],
    ['model=resnet', 'model must be one of cnn, mlp, got "resnet"'],
    ['optimizer=lamb', 'optimizer must be one of adam, sgd, adamw, rmsprop, adagrad, got "lamb"'],
    ['autostart=yes', 'autostart must be 1 (train at once) or 0, got "yes"'],
    ['data=ftp://x/', 'data must be an http or https URL (the page fetches the files), got "ftp://x/"'],
    ['epoch=1', 'unknown URL parameter "epoch"; expected one of backend, model, epochs, batchSize, lr, optimizer, limit, testLimit, seed, data, autostart'],
    ['epochs=1&epochs=2', 'epochs is given 2 times in the URL; give it once'],
  ])('rejects %s', (query, message) => {
    expect(parsePageParams(`${PAGE}?${query}`).error).toBe(message);
  });

  it('lists every problem, not only the first', () => {
    expect(parsePageParams(`${PAGE}?epochs=x&model=y`).error).toBe('model must be one of cnn, mlp, got "y"; epochs must be a positive integer, got "x"');
  });
});

describe('readSettings', () => {
  it('reads the form through the same parsers, absent values taking their defaults', () => {
    const form: Record<string, string> = { epochs: '3', lr: '.5', optimizer: 'rmsprop' };
    expect(readSettings((name) => form[name] ?? null)).toEqual({ ...DEFAULT_SETTINGS, epochs: 3, lr: 0.5, optimizer: 'rmsprop' });
    expect(() => readSettings((name) => (name === 'testLimit' ? '' : null))).toThrow('testLimit must be a positive integer, got ""');
  });
});

describe('resolveDataFolder', () => {
  it('resolves relative to the page and ends with a slash', () => {
    expect(resolveDataFolder('../datasets/fashion', PAGE)).toBe('http://localhost:4173/datasets/fashion/');
    expect(resolveDataFolder('/data/?x=1', PAGE)).toBe('http://localhost:4173/data/');
    expect(() => resolveDataFolder(' ', PAGE)).toThrow('data must be the URL of a folder');
  });
});

it("offers the CLI's models and optimizers, in the CLI's order", () => {
  expect(PAGE_MODEL_KINDS).toEqual(['cnn', 'mlp']);
  expect(PAGE_OPTIMIZER_KINDS).toEqual(['adam', 'sgd', 'adamw', 'rmsprop', 'adagrad']);
});
