// The shared op suite (PyTorch golden values, float64-reference properties, gradcheck) on the
// tfjs backend with tfjs's cpu engine. float64 checks are skipped and counted automatically (tfjs
// has no float64), which includes every gradcheck (they run in float64).
import { findBackend } from '@tensorgrad/tensor';
import '@tensorgrad/backend-tfjs';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';
import { checkTfjsLeaks } from './leak-check.js';

checkTfjsLeaks(await findBackend('tfjs'));
runConformance('tfjs');
