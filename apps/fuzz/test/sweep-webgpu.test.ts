// The property sweeps on the WebGPU backend (Dawn on the lavapipe software adapter in CI) against
// the CPU float64 reference, gradients against the CPU backend's: a fixed seed list. Skipped, with
// the reason, when there is no adapter; TENSORGRAD_REQUIRE_WEBGPU=1 makes that a failure.
import { ciSeeds, registerSweepTests } from './sweep-ci.js';

await registerSweepTests('webgpu', ciSeeds(2, 200_000));
