import { listBackends } from 'tensorgrad';

/** The two architectures of the book: chapter 4's CNN and chapter 3's MLP. */
export type ModelKind = 'cnn' | 'mlp';
/** The optimizers `--optimizer` accepts (tensorgrad's classes of the same names). */
export type OptimizerKind = 'adam' | 'sgd' | 'adamw' | 'rmsprop' | 'adagrad';

/** Every accepted `--model`. */
export const MODEL_KINDS: readonly ModelKind[] = ['cnn', 'mlp'];
/** Every accepted `--optimizer`. */
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['adam', 'sgd', 'adamw', 'rmsprop', 'adagrad'];

/** The options of `train` (the defaults are the book's chapter 4 setup). */
export interface TrainOptions {
  /** Architecture (default `'cnn'`). */
  model: ModelKind;
  /** Number of epochs to train in total, counting those of a resumed run (default 5). */
  epochs: number;
  /** Training batch size (default 32). */
  batchSize: number;
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Optimizer (default `'adam'`). */
  optimizer: OptimizerKind;
  /** Backend to train on; must be registered (default `'cpu'`). */
  backend: string;
  /** Train on the first `limit` training images only (default all 60,000). */
  limit: number | null;
  /** Evaluate on the first `testLimit` test images only (default all 10,000). */
  testLimit: number | null;
  /** Seed of the weight initialisation and of every epoch's shuffle (default 0). */
  seed: number;
  /** Output folder for checkpoints, metrics and charts (default `runs/<model>`). */
  out: string;
  /** Continue from `<out>/checkpoint.safetensors`. */
  resume: boolean;
  /** A folder holding the Fashion-MNIST IDX files, looked in before the usual places. */
  dataRoot: string | null;
  /** Names of the options given on the command line (the others hold their defaults). */
  given: ReadonlySet<string>;
}

/** The options of `predict`. */
export interface PredictOptions {
  /** The checkpoint or model file (default `<out>/checkpoint.safetensors`). */
  checkpoint: string;
  /** Classify this image of the test set. */
  index: number | null;
  /** Classify this PNG or JPEG file. */
  image: string | null;
  /** Invert the image's grey levels first (for dark garments on a light background). */
  invert: boolean;
  /** Architecture, used when the file does not say (default `'cnn'`). */
  model: ModelKind;
  /** Backend to run on (default `'cpu'`). */
  backend: string;
  /** A folder holding the Fashion-MNIST IDX files (for `--index`). */
  dataRoot: string | null;
  /** Names of the options given on the command line. */
  given: ReadonlySet<string>;
}

/** What {@link parseArgs} returns: the subcommand and its options. */
export type Command = { command: 'train'; options: TrainOptions } | { command: 'predict'; options: PredictOptions } | { command: 'help' };

/**
 * A command-line mistake: the message names the flag, the value given and what was expected; the
 * CLI prints it with a hint to `--help` and exits with code 2.
 *
 * @example
 * ```ts
 * import { UsageError } from '@tensorgrad/fashion-mnist';
 * const e = new UsageError('--epochs: expected a positive integer, got "x"');
 * e.exitCode; // 2
 * ```
 */
export class UsageError extends Error {
  /** The process exit code for usage errors. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The text `--help` prints.
 *
 * @example
 * ```ts
 * import { usage } from '@tensorgrad/fashion-mnist';
 * usage().includes('--batch-size'); // true
 * ```
 */
export function usage(): string {
  return `Usage: fashion-mnist [train] [options]
       fashion-mnist predict (--index I | --image FILE.png) [options]

Trains the book's Fashion-MNIST classifiers with tensorgrad (Modern Computer Vision with PyTorch,
chapters 3-4) and classifies images with a trained model.

train (the default command):
  --model cnn|mlp        cnn: Conv2d(1,64,3)-MaxPool2d(2)-ReLU-Conv2d(64,128,3)-MaxPool2d(2)-ReLU-
                         Flatten-Linear(3200,256)-ReLU-Linear(256,10) (chapter 4, default);
                         mlp: Linear(784,1000)-ReLU-Linear(1000,10) (chapter 3)
  --epochs N             epochs in total, counting resumed ones (default 5)
  --batch-size N         training batch size (default 32)
  --lr X                 learning rate (default 1e-3)
  --optimizer NAME       adam|sgd|adamw|rmsprop|adagrad (default adam)
  --backend NAME         a registered backend (default cpu)
  --limit N              train on the first N training images only (a quick look)
  --test-limit N         evaluate on the first N test images only (default all 10,000)
  --seed N               seed of the initial weights and the shuffles (default 0)
  --out DIR              where checkpoints, metrics and charts go (default runs/<model>)
  --resume               continue from DIR/checkpoint.safetensors at the next epoch
  --data-root DIR        a folder with the Fashion-MNIST IDX files (else $TENSORGRAD_DATA,
                         then /usr/share/datasets/fashion-mnist, installed with apt-get
                         install dataset-fashion-mnist when missing and run as root on Debian)

predict:
  --index I              classify test image I (0-9999) and show its true label
  --image FILE.png       classify a PNG or JPEG (grey, grey+alpha, RGB, RGBA or palette; resized
                         to 28x28). Fashion-MNIST shows light garments on a black background:
  --invert               invert the grey levels first, for dark-on-light photos
  --checkpoint FILE      checkpoint.safetensors or model.safetensors (default
                         <out>/checkpoint.safetensors)
  --out DIR, --model cnn|mlp, --backend NAME, --data-root DIR  as for train

  -h, --help             show this help
`;
}

interface FlagSpec {
  /** Takes a value (else a boolean switch). */
  value: boolean;
  /** The commands that accept it. */
  commands: readonly ('train' | 'predict')[];
}

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  model: { value: true, commands: ['train', 'predict'] },
  epochs: { value: true, commands: ['train'] },
  'batch-size': { value: true, commands: ['train'] },
  lr: { value: true, commands: ['train'] },
  optimizer: { value: true, commands: ['train'] },
  backend: { value: true, commands: ['train', 'predict'] },
  limit: { value: true, commands: ['train'] },
  'test-limit': { value: true, commands: ['train'] },
  seed: { value: true, commands: ['train'] },
  out: { value: true, commands: ['train', 'predict'] },
  resume: { value: false, commands: ['train'] },
  'data-root': { value: true, commands: ['train', 'predict'] },
  checkpoint: { value: true, commands: ['predict'] },
  index: { value: true, commands: ['predict'] },
  image: { value: true, commands: ['predict'] },
  invert: { value: false, commands: ['predict'] },
};

function positiveInt(flag: string, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag}: expected a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

function nonNegativeInt(flag: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n > max) {
    throw new UsageError(`--${flag}: expected an integer from 0 to ${max === Number.MAX_SAFE_INTEGER ? '2^53-1' : max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function positiveNumber(flag: string, raw: string): number {
  const n = /^[+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag}: expected a positive number such as 1e-3 or 0.01, got ${JSON.stringify(raw)}`);
  return n;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

function backendName(raw: string): string {
  const known = listBackends();
  if (!known.includes(raw)) {
    throw new UsageError(`--backend: expected a registered backend (${known.join(', ') || 'none registered'}), got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function nonEmpty(flag: string, raw: string): string {
  if (raw === '') throw new UsageError(`--${flag}: expected a path, got an empty string`);
  return raw;
}

/**
 * Parses the command line (the arguments after `node cli.js`), strictly: an unknown flag, a flag
 * of the other command, a missing or malformed value, or a stray argument throws a
 * {@link UsageError} that names the flag, the value given and what is expected. Flags take their
 * value as the next argument or after `=` (`--epochs 3`, `--epochs=3`).
 *
 * @example
 * ```ts
 * import { parseArgs } from '@tensorgrad/fashion-mnist';
 * const cmd = parseArgs(['--model', 'mlp', '--epochs=2']);
 * cmd.command; // 'train'
 * if (cmd.command === 'train') {
 *   cmd.options.out; // 'runs/mlp'
 *   cmd.options.batchSize; // 32
 * }
 * ```
 */
export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  let command: 'train' | 'predict' = 'train';
  if (args[0] === 'train' || args[0] === 'predict') command = args.shift() as 'train' | 'predict';
  const values = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help' || arg === 'help') return { command: 'help' };
    if (!arg.startsWith('--')) {
      const hint = i === 0 && !arg.startsWith('-') ? ` (commands: train, predict)` : '';
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}${hint}; options start with --, see --help`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = FLAGS[name];
    if (!spec) throw new UsageError(`unknown option --${name}; see --help for the options of ${command}`);
    if (!spec.commands.includes(command)) {
      throw new UsageError(`--${name} is an option of ${spec.commands.join(' and ')}, not of ${command}; see --help`);
    }
    if (values.has(name)) throw new UsageError(`--${name} is given twice`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`--${name} is a switch and takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
      values.set(name, true);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name}: expected a value after it, got ${next === undefined ? 'nothing' : JSON.stringify(next)}`);
      value = next;
      i++;
    }
    values.set(name, value);
  }
  const str = (name: string): string | undefined => values.get(name) as string | undefined;
  const given = new Set([...values.keys()]);
  const model = str('model') !== undefined ? oneOf('model', str('model')!, MODEL_KINDS) : 'cnn';
  const backend = str('backend') !== undefined ? backendName(str('backend')!) : 'cpu';
  const out = str('out') !== undefined ? nonEmpty('out', str('out')!) : `runs/${model}`;
  const dataRoot = str('data-root') !== undefined ? nonEmpty('data-root', str('data-root')!) : null;
  if (command === 'predict') {
    const index = str('index') !== undefined ? nonNegativeInt('index', str('index')!, 9999) : null;
    const image = str('image') !== undefined ? nonEmpty('image', str('image')!) : null;
    if ((index === null) === (image === null)) {
      throw new UsageError(`predict: expected exactly one of --index I or --image FILE.png, got ${index === null ? 'neither' : 'both'}`);
    }
    if (values.has('invert') && image === null) throw new UsageError('--invert applies to --image only, not to --index');
    const checkpoint = str('checkpoint') !== undefined ? nonEmpty('checkpoint', str('checkpoint')!) : `${out}/checkpoint.safetensors`;
    return { command, options: { checkpoint, index, image, invert: values.has('invert'), model, backend, dataRoot, given } };
  }
  return {
    command,
    options: {
      model,
      epochs: str('epochs') !== undefined ? positiveInt('epochs', str('epochs')!) : 5,
      batchSize: str('batch-size') !== undefined ? positiveInt('batch-size', str('batch-size')!) : 32,
      lr: str('lr') !== undefined ? positiveNumber('lr', str('lr')!) : 1e-3,
      optimizer: str('optimizer') !== undefined ? oneOf('optimizer', str('optimizer')!, OPTIMIZER_KINDS) : 'adam',
      backend,
      limit: str('limit') !== undefined ? positiveInt('limit', str('limit')!) : null,
      testLimit: str('test-limit') !== undefined ? positiveInt('test-limit', str('test-limit')!) : null,
      seed: str('seed') !== undefined ? nonNegativeInt('seed', str('seed')!) : 0,
      out,
      resume: values.has('resume'),
      dataRoot,
      given,
    },
  };
}
