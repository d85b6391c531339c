// vision.json's cases of ops that are planned but not written are counted skips with a reason;
// a golden case whose op the runner does not know fails instead of being skipped.
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import * as vision from '@tensorgrad/vision';
import '@tensorgrad/backend-cpu';
import { goldenOpStatus, loadGolden, PENDING_VISION_OPS, planCheck, type PlanContext } from '@tensorgrad/conformance';

const ops = tg as unknown as Readonly<Record<string, unknown>>;
// the runner looks vision.json's ops up in @tensorgrad/vision too (tensor's exports win)
const visionOps: Readonly<Record<string, unknown>> = { ...(vision as unknown as Record<string, unknown>), ...ops };
const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  backend: tg.getBackend(),
  ops,
  skip: {},
  dtypes: new Set(tg.getBackend().dtypes),
  ...over,
});

describe('vision.json', () => {
  const cases = loadGolden('vision.json').cases;

  // ops of vision.json that have landed: their cases run
  const IMPLEMENTED = new Set(['nonzero', 'maskedSelect', 'any', 'all', 'maximum', 'minimum', 'norm', 'maxPool2dWithIndices', 'maxUnpool2d']);
  // Vision I utils in @tensorgrad/vision
  for (const op of ['makeGrid', 'normalize']) IMPLEMENTED.add(op);
  // sorting and scans (Vision I) in @tensorgrad/tensor
  for (const op of ['sort', 'argsort', 'topk', 'cumsum']) IMPLEMENTED.add(op);
  // torchvision.ops box ops and focal loss (Vision II, @tensorgrad/vision)
  for (const op of ['boxArea', 'boxIou', 'generalizedBoxIou', 'boxConvert', 'clipBoxesToImage', 'sigmoidFocalLoss']) IMPLEMENTED.add(op);
  // torchvision.ops RoI pooling and NMS (Vision II, @tensorgrad/vision)
  for (const op of ['nms', 'batchedNms', 'roiAlign', 'roiPool']) IMPLEMENTED.add(op);

  it('has its 104 cases, every op of them implemented or pending', () => {
    expect(cases.length).toBe(104);
    const ops = new Set(cases.map((c) => c.op));
    expect([...ops].filter((op) => !PENDING_VISION_OPS.has(op) && !IMPLEMENTED.has(op))).toEqual([]);
    expect([...IMPLEMENTED].filter((op) => PENDING_VISION_OPS.has(op))).toEqual([]);
  });

  it('runs the implemented ops and plans every other case as a skip that names the op and the milestone', () => {
    for (const c of cases) {
      const plan = planCheck({ id: c.id, op: c.op, dtype: c.dtype }, ctx({ ops: visionOps }));
      if (IMPLEMENTED.has(c.op)) expect(plan).toEqual({ action: 'run' });
      else expect(plan).toEqual({ action: 'skip', reason: `not yet implemented: ${c.op}, Vision I/II` });
    }
  });

  it('runs a pending op as soon as it exists', () => {
    const withSort = { ...ops, sort: () => undefined };
    expect(goldenOpStatus('sort', withSort)).toEqual({ status: 'run' });
    expect(planCheck({ id: 'sort/x/float32', op: 'sort', dtype: 'float32' }, ctx({ ops: withSort }))).toEqual({ action: 'run' });
  });

  it('runs maxPool2dWithIndices only while maxPool2d honours returnIndices', () => {
    expect(goldenOpStatus('maxPool2dWithIndices', ops, tg.getBackend())).toEqual({ status: 'run' });
    const valuesOnly = { ...ops, maxPool2d: (x: tg.Tensor) => tg.maxPool2d(x, 2) };
    expect(goldenOpStatus('maxPool2dWithIndices', valuesOnly, tg.getBackend()).status).toBe('unknown');
  });
});

describe('an unknown golden op', () => {
  it('fails with a message that says what was expected and how to fix it', () => {
    const plan = planCheck({ id: 'frobnicate/basic/float32', op: 'frobnicate', dtype: 'float32' }, ctx());
    expect(plan.action).toBe('fail');
    const error = (plan as { error: string }).error;
    expect(error).toContain("frobnicate/basic/float32: golden op 'frobnicate' is unknown to the conformance runner");
    expect(error).toContain('PENDING_VISION_OPS');
    expect(error).toMatch(/Fix the op name/);
  });

  it('fails even where options.skip matches it', () => {
    const plan = planCheck({ id: 'frobnicate/basic/float32', op: 'frobnicate', dtype: 'float32' }, ctx({ skip: { '*': 'everything', frobnicate: 'typo' } }));
    expect(plan.action).toBe('fail');
  });

  it('is not hidden by a dtype the backend lacks', () => {
    const plan = planCheck({ id: 'frobnicate/basic/float64', op: 'frobnicate', dtype: 'float64' }, ctx({ dtypes: new Set(['float32']) }));
    expect(plan.action).toBe('fail');
  });

  it('does not concern ops.json, whose every op runs', () => {
    for (const op of new Set(loadGolden('ops.json').cases.map((c) => c.op))) expect(goldenOpStatus(op, ops).status, op).toBe('run');
  });

  it('keeps the skip order: options.skip, then the dtype', () => {
    expect(planCheck({ id: 'add/a/float32', op: 'add', dtype: 'float32' }, ctx({ skip: { add: 'tracked' } }))).toEqual({ action: 'skip', reason: 'tracked' });
    expect(planCheck({ id: 'add/a/float64', op: 'add', dtype: 'float64' }, ctx({ dtypes: new Set(['float32']) }))).toEqual({
      action: 'skip',
      reason: 'dtype float64 not selected (options.dtypes)',
    });
    expect(planCheck({ id: 'Linear/a/float32', op: 'Linear', dtype: 'float32', missing: null }, ctx())).toEqual({ action: 'run' });
    expect(planCheck({ id: 'Foo/a/float32', op: 'Foo', dtype: 'float32', missing: "'Foo' is not exported" }, ctx())).toEqual({ action: 'skip', reason: "'Foo' is not exported" });
  });
});
