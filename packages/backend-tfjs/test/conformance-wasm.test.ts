// The shared op suite on the tfjs backend with tfjs's wasm engine (XNNPACK, SIMD, one thread).
// float64 checks are skipped and counted automatically (tfjs has no float64).
import { findBackend } from '@tensorgrad/tensor';
import '@tensorgrad/backend-tfjs';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';
import { checkTfjsLeaks } from './leak-check.js';

checkTfjsLeaks(await findBackend('tfjs-wasm'));
runConformance('tfjs-wasm');
