import { describe, expect, it } from 'vitest';
import { main, parseArgs, UsageError, type TrainOptions, type PredictOptions } from '@tensorgrad/fashion-mnist';
import { capture } from './cli-harness.js';

function train(argv: string[]): TrainOptions {
  const cmd = parseArgs(argv);
  if (cmd.command !== 'train') throw new Error(`expected train, got ${cmd.command}`);
  return cmd.options;
}

function predict(argv: string[]): PredictOptions {
  const cmd = parseArgs(['predict', ...argv]);
  if (cmd.command !== 'predict') throw new Error(`expected predict, got ${cmd.command}`);
  return cmd.options;
}

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`);
}

describe('parseArgs: train', () => {
  it('has the book defaults', () => {
    const o = train([]);
    expect(o).toMatchObject({ model: 'cnn', epochs: 5, batchSize: 32, lr: 1e-3, optimizer: 'adam', backend: 'cpu', limit: null, testLimit: null, seed: 0, out: 'runs/cnn', resume: false, dataRoot: null });
    expect([...o.given]).toEqual([]);
    expect(train(['train'])).toMatchObject({ model: 'cnn' });
  });

  it('reads every option, as "--flag value" and "--flag=value"', () => {
    const o = train(['--model', 'mlp', '--epochs=3', '--batch-size', '64', '--lr', '5e-4', '--optimizer=sgd', '--backend', 'cpu', '--limit', '1000', '--test-limit', '200', '--seed', '7', '--out', '/tmp/x', '--resume', '--data-root', '/data']);
    expect(o).toMatchObject({ model: 'mlp', epochs: 3, batchSize: 64, lr: 5e-4, optimizer: 'sgd', backend: 'cpu', limit: 1000, testLimit: 200, seed: 7, out: '/tmp/x', resume: true, dataRoot: '/data' });
    expect(o.given.has('batch-size')).toBe(true);
    expect(o.given.has('lr')).toBe(true);
  });

  it('defaults --out to runs/<model>', () => {
    expect(train(['--model', 'mlp']).out).toBe('runs/mlp');
  });

  it.each([
    [['--epochs', '0'], '--epochs: expected a positive integer, got "0"'],
    [['--epochs', '2.5'], '--epochs: expected a positive integer, got "2.5"'],
    [['--batch-size', 'big'], '--batch-size: expected a positive integer, got "big"'],
    [['--lr', '-0.1'], '--lr: expected a positive number such as 1e-3 or 0.01, got "-0.1"'],
    [['--lr', 'fast'], '--lr: expected a positive number such as 1e-3 or 0.01, got "fast"'],
    [['--model', 'resnet'], '--model: expected one of cnn, mlp, got "resnet"'],
    [['--optimizer', 'lbfgs'], '--optimizer: expected one of adam, sgd, adamw, rmsprop, adagrad, got "lbfgs"'],
    [['--seed', '-1'], '--seed: expected an integer from 0 to 2^53-1, got "-1"'],
    [['--limit'], '--limit: expected a value after it, got nothing'],
    [['--limit', '--resume'], '--limit: expected a value after it, got "--resume"'],
    [['--resume=yes'], '--resume is a switch and takes no value, got "yes"'],
    [['--epochs', '2', '--epochs', '3'], '--epochs is given twice'],
    [['--out', ''], '--out: expected a path, got an empty string'],
  ])('%j fails with a message naming the flag, value and expectation', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });

  it('rejects unknown flags, the other command’s flags and stray arguments', () => {
    expect(usageError(['--epoch', '3'])).toBe('unknown option --epoch; see --help for the options of train');
    expect(usageError(['--index', '3'])).toBe('--index is an option of predict, not of train; see --help');
    expect(usageError(['evaluate'])).toBe('unexpected argument "evaluate" (commands: train, predict); options start with --, see --help');
    expect(usageError(['--epochs', '2', 'extra'])).toBe('unexpected argument "extra"; options start with --, see --help');
  });

  it('rejects a backend that is not registered and lists the registered ones', () => {
    const msg = usageError(['--backend', 'metal']);
    expect(msg).toMatch(/^--backend: expected a registered backend \((.*)\), got "metal"$/);
    expect(msg).toContain('cpu');
  });

  it('returns help for -h, --help and help', () => {
    expect(parseArgs(['--help']).command).toBe('help');
    expect(parseArgs(['-h']).command).toBe('help');
    expect(parseArgs(['predict', '--help']).command).toBe('help');
  });
});

describe('parseArgs: predict', () => {
  it('takes --index or --image, with the checkpoint defaulting into --out', () => {
    expect(predict(['--index', '42'])).toMatchObject({ index: 42, image: null, checkpoint: 'runs/cnn/checkpoint.safetensors', invert: false, model: 'cnn' });
    expect(predict(['--image', 'shoe.png', '--invert', '--out', 'r'])).toMatchObject({ index: null, image: 'shoe.png', invert: true, checkpoint: 'r/checkpoint.safetensors' });
    expect(predict(['--index', '0', '--checkpoint', 'm.safetensors']).checkpoint).toBe('m.safetensors');
  });

  it('needs exactly one of --index and --image', () => {
    expect(usageError(['predict'])).toBe('predict: expected exactly one of --index I or --image FILE.png, got neither');
    expect(usageError(['predict', '--index', '1', '--image', 'a.png'])).toBe('predict: expected exactly one of --index I or --image FILE.png, got both');
    expect(usageError(['predict', '--index', '10000'])).toBe('--index: expected an integer from 0 to 9999, got "10000"');
    expect(usageError(['predict', '--index', '1', '--invert'])).toBe('--invert applies to --image only, not to --index');
    expect(usageError(['predict', '--index', '1', '--epochs', '2'])).toBe('--epochs is an option of train, not of predict; see --help');
  });
});

describe('main', () => {

  it('exits with 2 and a clear message on a usage error, printing nothing else', async () => {
    const c = capture();
    expect(await main(['--optimizer', 'adamax'], c.io)).toBe(2);
    expect(c.err()).toBe('fashion-mnist: --optimizer: expected one of adam, sgd, adamw, rmsprop, adagrad, got "adamax"\nRun with --help for the usage.\n');
    expect(c.out()).toBe('');
  });

  it('prints the usage for --help and exits with 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    for (const flag of ['--model', '--epochs', '--batch-size', '--lr', '--optimizer', '--backend', '--limit', '--test-limit', '--seed', '--out', '--resume', '--data-root', '--index', '--image', '--invert', '--checkpoint']) {
      expect(c.out()).toContain(flag);
    }
  });

  it('exits with 1 and the message for other failures', async () => {
    const c = capture();
    expect(await main(['predict', '--index', '0', '--checkpoint', '/nonexistent/model.safetensors'], c.io)).toBe(1);
    expect(c.err()).toContain('no model file at /nonexistent/model.safetensors');
  });
});
