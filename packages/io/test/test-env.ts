// Shared test setup of the io package: every test must leave the live-tensor count unchanged,
// and files go to one temporary directory removed after the file's tests.
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory } from '@tensorgrad/tensor';

/** Registers the leak check and returns a function giving this test file's temporary directory. */
export function useTestEnv(prefix: string): () => Promise<string> {
  let before = 0;
  beforeEach(() => {
    before = memory().numTensors;
  });
  afterEach(() => {
    expect(memory().numTensors).toBe(before);
  });
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    if (!dir) dir = await mkdtemp(join(tmpdir(), prefix));
    return dir;
  };
}
