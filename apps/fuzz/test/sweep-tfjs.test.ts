// The property sweeps on the tfjs backend (tfjs-core's CPU engine) against the CPU float64
// reference, gradients against the CPU backend's: a fixed seed list.
import { ciSeeds, registerSweepTests } from './sweep-ci.js';

await registerSweepTests('tfjs', ciSeeds(3, 100_000));
