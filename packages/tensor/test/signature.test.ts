// The shared PyTorch-signature binder: positional and keyword forms bind alike, and nothing it
// does not understand passes silently.
import { describe, expect, it } from 'vitest';
import { tensor } from '@tensorgrad/tensor';
import { checkOptionKeys, isOptionsObject, nearestKey, parseArgs, signature } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';

const CONV = signature('new Conv2d', ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias'], { required: 3 });

describe('parseArgs', () => {
  it('binds positional arguments in order and options by name, identically', () => {
    const a = parseArgs(CONV, [1, 3, 3, 2, 1]);
    const b = parseArgs(CONV, [1, 3, 3, { stride: 2, padding: 1 }]);
    const c = parseArgs(CONV, [{ inChannels: 1, outChannels: 3, kernelSize: 3, stride: 2, padding: 1 }]);
    expect(a).toEqual({ inChannels: 1, outChannels: 3, kernelSize: 3, stride: 2, padding: 1 });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
  it('keeps null positionals (PyTorch None) and drops undefined ones', () => {
    const s = signature('f', ['a', 'b', 'c']);
    expect(parseArgs(s, [null, undefined, 3])).toEqual({ a: null, c: 3 });
    expect(parseArgs(s, [1, { b: undefined }])).toEqual({ a: 1 });
  });
  it('refuses a positional argument too many, naming it', () => {
    expect(() => parseArgs(CONV, [1, 3, 3, 1, 0, 1, 1, true, 'zeros'])).toThrow(
      /new Conv2d: takes at most 8 positional arguments \(inChannels, .*, bias\) but 9 were given; the extra value is "zeros"/,
    );
  });
  it('refuses unknown keys with the nearest spelling', () => {
    expect(() => parseArgs(CONV, [1, 3, 3, { padding_mode: 'zeros' }])).toThrow(/unknown option 'padding_mode'; Valid options: inChannels/);
    expect(() => parseArgs(CONV, [1, 3, 3, { stirde: 2 }])).toThrow(/unknown option 'stirde'; did you mean 'stride'\?/);
    expect(() => parseArgs(CONV, [1, 3, { kernel_size: 3 }])).toThrow(/unknown option 'kernel_size'; did you mean 'kernelSize'\?/);
  });
  it('refuses a parameter given twice and reports missing required ones', () => {
    expect(() => parseArgs(CONV, [1, 3, 3, 2, { stride: 2 }])).toThrow(/got stride twice, as positional argument 4/);
    expect(() => parseArgs(CONV, [1, 3])).toThrow(/new Conv2d: missing required argument kernelSize \(got inChannels, outChannels\)/);
    expect(parseArgs(CONV, [1, 1, { kernelSize: 3 }])).toEqual({ inChannels: 1, outChannels: 1, kernelSize: 3 });
  });
  it('accepts keyword-only parameters by name only', () => {
    const s = signature('adam', ['params', 'lr', 'foreach'], { keywordOnly: ['foreach'] });
    expect(parseArgs(s, [[], 0.1, { foreach: false }])).toEqual({ params: [], lr: 0.1, foreach: false });
    expect(() => parseArgs(s, [[], 0.1, false])).toThrow(/takes at most 2 positional arguments/);
  });
  it('treats only plain objects as the options object', () => {
    const t = tensor([1]);
    expect(isOptionsObject({})).toBe(true);
    expect(isOptionsObject(Object.create(null))).toBe(true);
    expect(isOptionsObject(t)).toBe(false);
    expect(isOptionsObject(new Map())).toBe(false);
    expect(isOptionsObject([1])).toBe(false);
    const s = signature('f', ['weight', 'reduction']);
    expect(parseArgs(s, [t, 'sum'])).toEqual({ weight: t, reduction: 'sum' });
  });
});

describe('nearestKey and checkOptionKeys', () => {
  it.each([
    ['batch_size', ['batchSize', 'shuffle'], 'batchSize'],
    ['axis', ['dim', 'keepdim'], 'dim'],
    ['keep_dim', ['dim', 'keepdim'], 'keepdim'],
    ['keepDims', ['dim', 'keepdim'], 'keepdim'],
    ['weight_decay', ['lr', 'weightDecay'], 'weightDecay'],
    ['label_smoothing', ['reduction', 'labelSmoothing'], 'labelSmoothing'],
    ['requires_grad', ['dtype', 'requiresGrad'], 'requiresGrad'],
    ['LR', ['lr', 'momentum'], 'lr'],
    ['learning_rate', ['lr', 'momentum'], 'lr'],
    ['completely_different', ['lr'], null],
  ] as const)('%s → %s', (key, valid, want) => {
    expect(nearestKey(key, valid)).toBe(want);
  });
  it('lists the valid keys, or says there are none', () => {
    expect(() => checkOptionKeys('relu', { inplace: true }, [])).toThrow(/relu: unknown option 'inplace'; Valid options: none \(this takes no options\)/);
  });
});
