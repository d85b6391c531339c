// The page: settings from the URL and the form, the training worker's events turned into the live
// view, and the drawing pad's predictions. All training, data loading and model IO happen in the
// worker (web/worker.ts; messages in web/protocol.ts), so the page stays responsive; this file only
// keeps the state the controls depend on. The DOM test hooks (`data-testid`) and the status texts
// are a contract with the browser tests (test/web-page.test.ts).
import 'uplot/dist/uPlot.min.css';
import type { ModelKind } from '../src/args.js';
import type { BackendInfo, Event as WorkerEvent, MemoryInfo, Request, TrainSettings } from './protocol.js';
import { Smoother, TrainingChart } from './ui/charts.js';
import { drawConfusion } from './ui/confusion.js';
import { DrawingPad, type PadChange } from './ui/draw.js';
import { divergedNote, formatAccuracy, formatBytes, formatLoss, formatMemory, formatPercent, formatRate } from './ui/format.js';
import { SampleGrid } from './ui/grid.js';
import { BACKEND_CHOICES, modelInfo, PAGE_MODEL_KINDS, PAGE_OPTIMIZER_KINDS, parsePageParams, readSettings } from './ui/params.js';
import { formatDuration } from '../src/progress.js';

function element<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`the page has no ${selector}; web/index.html and web/main.ts disagree`);
  return found;
}
const byTestId = <T extends Element>(id: string): T => element<T>(`[data-testid="${id}"]`);

const ui = {
  form: element<HTMLFormElement>('#settings'),
  backend: byTestId<HTMLSelectElement>('backend'),
  backendNotes: element<HTMLUListElement>('#backend-notes'),
  start: byTestId<HTMLButtonElement>('start'),
  pause: byTestId<HTMLButtonElement>('pause'),
  stop: byTestId<HTMLButtonElement>('stop'),
  download: byTestId<HTMLButtonElement>('download'),
  loadModel: byTestId<HTMLInputElement>('load-model'),
  status: byTestId<HTMLElement>('status'),
  banner: element<HTMLElement>('#banner'),
  modelLine: element<HTMLElement>('#model-line'),
  backendActive: byTestId<HTMLElement>('backend-active'),
  dataProgress: byTestId<HTMLProgressElement>('data-progress'),
  dataText: element<HTMLElement>('#data-text'),
  progress: byTestId<HTMLProgressElement>('progress'),
  runText: element<HTMLElement>('#run-text'),
  rate: byTestId<HTMLElement>('images-per-second'),
  memory: byTestId<HTMLElement>('memory'),
  testAccuracy: byTestId<HTMLElement>('test-accuracy'),
  epochs: element<HTMLTableSectionElement>('#epochs tbody'),
  confusion: byTestId<HTMLCanvasElement>('confusion'),
  confusionNote: element<HTMLElement>('#confusion-note'),
  gridNote: element<HTMLElement>('#grid-note'),
  top3: byTestId<HTMLOListElement>('top3'),
  top3Note: element<HTMLElement>('#top3-note'),
};

// --- state -----------------------------------------------------------------------------------

const parsed = parsePageParams(location.href);
const dataFolder = parsed.params.data;
let backends: readonly BackendInfo[] | null = null; // null until the worker's hello
let data: 'none' | 'loading' | 'ready' = 'none';
let classes: readonly string[] = [];
/** A run asked for while the data was still loading. */
let queuedRun: TrainSettings | null = null;
/** A train request is out and its `run-start` (or error) has not come back: a second Start would be refused. */
let starting = false;
/** From `run-start` to `run-end`. */
let running = false;
let paused = false;
/** The settings of the run in progress (from its `run-start`). */
let runSettings: TrainSettings | null = null;
/** Whether this run's loss stopped being finite (said once). */
let diverged = false;
let model: { kind: ModelKind; parameters: number; backend: string } | null = null;
let nextId = 1;
const pending = { hello: 0, data: 0, train: 0, save: 0, load: 0, predict: 0 };
let predictInFlight = false;
let predictAgain = false;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const post = (request: Request, transfer: Transferable[] = []): void => worker.postMessage(request, transfer);

const grid = new SampleGrid(byTestId('test-grid'));
const lossChart = new TrainingChart(byTestId('loss-chart'), {
  title: 'Loss',
  curves: [
    { label: 'train (batch)', colour: 'rgba(59, 130, 246, 0.55)', kind: 'batch' },
    { label: 'train (epoch)', colour: '#2563eb', kind: 'epoch' },
    { label: 'test (epoch)', colour: '#ea580c', kind: 'epoch' },
  ],
});
const accuracyChart = new TrainingChart(byTestId('accuracy-chart'), {
  title: 'Accuracy',
  yRange: [0, 1],
  curves: [
    { label: 'train (batch, smoothed)', colour: 'rgba(16, 185, 129, 0.7)', kind: 'batch' },
    { label: 'train (epoch)', colour: '#059669', kind: 'epoch' },
    { label: 'test (epoch)', colour: '#ea580c', kind: 'epoch' },
  ],
});
const smoothAccuracy = new Smoother(0.9);
const pad = new DrawingPad(byTestId('draw'), element('#preview'), element('#drop-note'), () => requestPrediction(), (message) => showError(message, false));

// --- status and controls ---------------------------------------------------------------------

type Status = 'idle' | 'loading' | 'training' | 'paused' | 'done';

function setStatus(status: Status): void {
  ui.status.textContent = status;
  ui.status.title = '';
}

/** Shows `message` in the banner; with `status` (the default) also as the status `error: …`. */
function showError(message: string, status = true): void {
  if (status) {
    ui.status.textContent = `error: ${message}`;
    ui.status.title = ui.status.textContent;
  }
  ui.banner.textContent = message;
  ui.banner.hidden = false;
}

function hideError(): void {
  ui.banner.hidden = true;
}

function refreshControls(): void {
  const busy = starting || running || data === 'loading' || queuedRun !== null;
  for (const field of ui.form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]')) field.disabled = busy;
  ui.start.disabled = backends === null || busy;
  ui.pause.disabled = !running;
  ui.stop.disabled = !running;
  ui.pause.textContent = paused ? 'Resume' : 'Pause';
  ui.download.disabled = model === null || running;
  ui.download.title = model === null ? 'Train or load a model first' : running ? 'Available when the run ends (or after Stop)' : `Save the ${model.kind.toUpperCase()} as safetensors`;
  ui.loadModel.disabled = backends === null || busy;
}

function settingField(name: keyof TrainSettings): HTMLInputElement | HTMLSelectElement {
  const field = ui.form.elements.namedItem(name);
  if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) throw new Error(`the settings form has no field named ${name}`);
  return field;
}

/** The pickers offer exactly what the validator accepts. */
function fillChoices(): void {
  const options = (values: readonly string[], text: (v: string) => string): HTMLOptionElement[] => values.map((v) => new Option(text(v), v));
  settingField('backend').replaceChildren(...options(BACKEND_CHOICES, (v) => v));
  settingField('model').replaceChildren(...options(PAGE_MODEL_KINDS, (v) => `${modelInfo(v as ModelKind).name} (ch. ${modelInfo(v as ModelKind).chapter})`));
  settingField('optimizer').replaceChildren(...options(PAGE_OPTIMIZER_KINDS, (v) => v));
}

function fillForm(settings: TrainSettings): void {
  for (const [name, value] of Object.entries(settings) as [keyof TrainSettings, unknown][]) settingField(name).value = String(value);
}

/** The backend as the page shows it: its name and what the worker said about it (threads, adapter). */
function backendLabel(name: string): string {
  const info = backends?.find((b) => b.name === name);
  return info && info.detail && !name.includes('(') ? `${name} (${info.detail})` : name;
}

function showModel(): void {
  if (model === null) return;
  const { name, chapter } = modelInfo(model.kind);
  ui.modelLine.textContent = `Chapter ${chapter}'s ${name} — ${model.parameters.toLocaleString('en-US')} parameters, on ${backendLabel(model.backend)}.`;
  ui.backendActive.textContent = backendLabel(model.backend);
}

function showMemory(memory: MemoryInfo): void {
  ui.memory.textContent = formatMemory(memory);
}

// --- actions ---------------------------------------------------------------------------------

function start(): void {
  hideError();
  let settings: TrainSettings;
  try {
    settings = readSettings((name) => settingField(name).value);
  } catch (e) {
    showError((e as Error).message);
    return;
  }
  const chosen = backends?.find((b) => b.name === settings.backend);
  if (chosen && !chosen.available) {
    showError(`backend ${chosen.name} is not available in this page (${chosen.detail}); pick auto or another backend`);
    return;
  }
  if (data === 'ready') train(settings);
  else {
    queuedRun = settings;
    if (data === 'none') loadData();
  }
  refreshControls();
}

function loadData(): void {
  data = 'loading';
  setStatus('loading');
  ui.dataText.textContent = `fetching from ${dataFolder}`;
  pending.data = nextId++;
  post({ type: 'load-data', id: pending.data, source: dataFolder });
}

function train(settings: TrainSettings): void {
  queuedRun = null;
  starting = true;
  pending.train = nextId++;
  post({ type: 'train', id: pending.train, settings });
}

/** Asks for the drawing's top 3; one request in flight at a time, the latest drawing wins. */
function requestPrediction(): void {
  if (model === null) return;
  if (predictInFlight) {
    predictAgain = true;
    return;
  }
  predictInFlight = true;
  predictAgain = false;
  pending.predict = nextId++;
  post({ type: 'predict', id: pending.predict, pixels: pad.current.input.slice() });
}

function predictionDone(): void {
  predictInFlight = false;
  if (predictAgain) requestPrediction();
}

function showTop3(top: readonly { label: number; name: string; probability: number }[], drawing: PadChange): void {
  ui.top3.replaceChildren(
    ...top.slice(0, 3).map((p) => {
      const li = document.createElement('li');
      li.dataset['testid'] = 'prediction';
      li.dataset['label'] = String(p.label);
      li.dataset['probability'] = String(p.probability);
      li.style.setProperty('--p', String(p.probability));
      li.textContent = `${p.name} ${formatPercent(p.probability)}`;
      return li;
    }),
  );
  ui.top3Note.textContent = drawing.empty ? 'The canvas is empty: this is what the model makes of a black image.' : '';
}

function download(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function loadModelFile(file: File): Promise<void> {
  hideError();
  if (!file.name.toLowerCase().endsWith('.safetensors')) {
    showError(`expected a .safetensors file (the CLI's model.safetensors or checkpoint.safetensors, or one saved by this page), got ${JSON.stringify(file.name)}`);
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  pending.load = nextId++;
  const backend = settingField('backend').value as TrainSettings['backend'];
  post({ type: 'load-model', id: pending.load, bytes, name: file.name, backend }, [bytes.buffer]);
}

// --- the worker's events ---------------------------------------------------------------------

function onHello(list: readonly BackendInfo[], isolated: boolean, threads: number): void {
  backends = list;
  const notes: HTMLLIElement[] = [];
  for (const option of ui.backend.options) {
    if (option.value === 'auto') {
      // which one auto picks is the worker's call; `backend-active` shows it once a run starts
      option.title = 'webgpu when a hardware GPU adapter is found, else cpu (a software adapter is slower than cpu)';
      continue;
    }
    const info = list.find((b) => b.name === option.value);
    const available = info?.available ?? false;
    const detail = info?.detail ?? 'the worker did not report this backend';
    option.disabled = !available;
    option.title = detail;
    option.textContent = available ? option.value : `${option.value} (unavailable)`;
    const li = document.createElement('li');
    li.className = available ? 'ok' : 'missing';
    li.textContent = `${option.value}: ${available ? detail : `unavailable — ${detail}`}`;
    notes.push(li);
  }
  if (!isolated) {
    const li = document.createElement('li');
    li.className = 'missing';
    li.textContent = `not cross-origin isolated: cpu runs on ${threads} thread${threads === 1 ? '' : 's'} (serve with the COOP/COEP headers, npm run web does)`;
    notes.push(li);
  }
  ui.backendNotes.replaceChildren(...notes);
  refreshControls();
  if (parsed.params.autostart) start();
}

function onEvent(event: WorkerEvent): void {
  switch (event.type) {
    case 'hello':
      if (event.id === pending.hello) onHello(event.backends, event.isolated, event.threads);
      break;
    case 'data-progress':
      if (event.total === null) ui.dataProgress.removeAttribute('value');
      else {
        ui.dataProgress.max = Math.max(1, event.total);
        ui.dataProgress.value = event.loaded;
      }
      ui.dataText.textContent = `${event.file}: ${formatBytes(event.loaded)}${event.total === null ? '' : ` of ${formatBytes(event.total)}`}`;
      break;
    case 'data-ready':
      data = 'ready';
      classes = event.classes;
      ui.dataProgress.max = 1;
      ui.dataProgress.value = 1;
      ui.dataText.textContent = `${event.train.toLocaleString('en-US')} training and ${event.test.toLocaleString('en-US')} test images`;
      grid.show(event.samples, classes);
      ui.gridNote.textContent = `The first ${event.samples.length} test images; wrong predictions get a red border and the predicted class.`;
      if (queuedRun !== null) train(queuedRun);
      else setStatus('idle');
      refreshControls();
      break;
    case 'run-start': {
      starting = false;
      running = true;
      paused = false;
      model = { kind: event.settings.model, parameters: event.parameters, backend: event.backend };
      runSettings = event.settings;
      diverged = false;
      showModel();
      setStatus('training');
      ui.progress.max = Math.max(1, event.settings.epochs * event.batchesPerEpoch);
      ui.progress.value = 0;
      ui.runText.textContent = '';
      ui.testAccuracy.textContent = '';
      ui.epochs.replaceChildren();
      lossChart.reset(event.settings.epochs);
      accuracyChart.reset(event.settings.epochs);
      smoothAccuracy.reset();
      refreshControls();
      requestPrediction();
      break;
    }
    case 'batch':
      ui.progress.value = (event.epoch - 1) * event.batches + event.batch;
      ui.runText.textContent = `epoch ${event.epoch}, batch ${event.batch}/${event.batches}, loss ${formatLoss(event.loss)}`;
      ui.rate.textContent = formatRate(event.imagesPerSecond);
      if (!Number.isFinite(event.loss) && !diverged && runSettings !== null) {
        diverged = true;
        showError(divergedNote(event.loss, event.epoch, event.batch, runSettings.lr, runSettings.optimizer), false);
      }
      showMemory(event.memory);
      lossChart.add(event.epoch - 1 + event.batch / event.batches, [event.loss, null, null]);
      accuracyChart.add(event.epoch - 1 + event.batch / event.batches, [smoothAccuracy.next(event.accuracy), null, null]);
      break;
    case 'evaluate-progress':
      ui.runText.textContent = `epoch ${event.epoch}: evaluating, ${event.done.toLocaleString('en-US')} of ${event.total.toLocaleString('en-US')} test images`;
      break;
    case 'epoch': {
      ui.testAccuracy.textContent = formatAccuracy(event.testAcc);
      showMemory(event.memory);
      lossChart.add(event.epoch, [null, event.trainLoss, event.testLoss]);
      accuracyChart.add(event.epoch, [null, event.trainAcc, event.testAcc]);
      const row = document.createElement('tr');
      for (const text of [String(event.epoch), formatLoss(event.trainLoss), formatPercent(event.trainAcc), formatLoss(event.testLoss), formatPercent(event.testAcc), formatDuration(event.seconds)]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      ui.epochs.append(row);
      drawConfusion(ui.confusion, event.confusion, classes);
      const evaluated = event.confusion.reduce((sum, r) => sum + r.reduce((a, b) => a + b, 0), 0);
      ui.confusionNote.textContent = `Epoch ${event.epoch}, ${evaluated.toLocaleString('en-US')} test images; each cell shaded by its share of the true class (row).`;
      grid.predict(event.samplePredictions);
      break;
    }
    case 'state':
      paused = event.state === 'paused';
      setStatus(event.state);
      refreshControls();
      break;
    case 'run-end':
      running = false;
      paused = false;
      setStatus('done');
      ui.runText.textContent = `${event.stopped ? 'stopped' : 'finished'} after ${event.epochs} complete epoch${event.epochs === 1 ? '' : 's'}`;
      refreshControls();
      requestPrediction();
      break;
    case 'prediction':
      if (event.id === pending.predict) {
        showTop3(event.top, pad.current);
        predictionDone();
      }
      break;
    case 'saved':
      if (event.id === pending.save) download(event.bytes, event.filename);
      break;
    case 'model-loaded':
      if (event.id !== pending.load) break;
      model = { kind: event.model, parameters: event.parameters, backend: event.backend };
      showModel();
      setStatus('idle');
      refreshControls();
      requestPrediction();
      break;
    case 'error':
      onError(event.id, event.message);
      break;
  }
}

function onError(id: number | null, message: string): void {
  if (id !== null && id === pending.predict) {
    // a failed prediction does not end a run: say so under the list, keep the status
    predictionDone();
    ui.top3Note.textContent = `error: ${message}`;
    return;
  }
  if (id !== null && id === pending.data) {
    data = 'none';
    queuedRun = null;
    ui.dataText.textContent = 'not loaded';
    ui.gridNote.textContent = `The data could not be loaded from ${dataFolder}.`;
  }
  if (id === null || id === pending.train) {
    starting = false;
    running = false;
    paused = false;
  }
  showError(message);
  refreshControls();
}

worker.onmessage = (e: MessageEvent<WorkerEvent>) => onEvent(e.data);
worker.onerror = (e: ErrorEvent) => {
  e.preventDefault();
  starting = false;
  running = false;
  queuedRun = null;
  showError(`the training worker failed: ${e.message || 'it could not be started (see the browser console)'}; reload the page to start a new one`);
  refreshControls();
};

// --- wiring ----------------------------------------------------------------------------------

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  start();
});
ui.pause.addEventListener('click', () => post({ type: paused ? 'resume' : 'pause' }));
ui.stop.addEventListener('click', () => post({ type: 'stop' }));
ui.download.addEventListener('click', () => {
  pending.save = nextId++;
  post({ type: 'save', id: pending.save });
});
ui.loadModel.addEventListener('change', () => {
  const file = ui.loadModel.files?.[0];
  ui.loadModel.value = '';
  if (file) void loadModelFile(file);
});
byTestId<HTMLButtonElement>('clear-draw').addEventListener('click', () => pad.clear());

// The docs link is `../`: the site above the page when the docs embed it under /app/. Served on
// its own (`npm run web`) the page is at the server's root, where `../` is the page itself, a link
// that only reloads it: hide it there.
if (new URL('../', location.href).href === new URL('./', location.href).href) element<HTMLElement>('header nav').hidden = true;

fillChoices();
fillForm(parsed.params.settings);
if (parsed.error !== null) showError(parsed.error);
refreshControls();
pending.hello = nextId++;
post({ type: 'hello', id: pending.hello });

/** For the browser tests: the worker and the status text. */
(window as unknown as { __fmnist: { worker: Worker; state: () => string } }).__fmnist = {
  worker,
  state: () => ui.status.textContent ?? '',
};
