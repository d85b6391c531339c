// The packages an example can import in the page, as one static map from specifier to module
// namespace. Static imports let vite bundle them into the worker's chunk once; the example's
// `require('tensorgrad')` (sucrase's rewrite of its import) then returns these objects. Importing
// a backend package here only registers its factory: the GPU or TensorFlow.js engine starts when a
// run first picks that backend. Keep in step with BROWSER_MODULES in classify.ts.
import * as tensorgrad from 'tensorgrad';
import * as tensor from '@tensorgrad/tensor';
import * as tensorBackend from '@tensorgrad/tensor/backend';
import * as autodiff from '@tensorgrad/autodiff';
import * as backendCpu from '@tensorgrad/backend-cpu';
import * as backendWebgpu from '@tensorgrad/backend-webgpu';
import * as backendTfjs from '@tensorgrad/backend-tfjs';
import * as layers from '@tensorgrad/layers';
import * as losses from '@tensorgrad/losses';
import * as optimizers from '@tensorgrad/optimizers';
import * as data from '@tensorgrad/data';
import * as io from '@tensorgrad/io';
import * as vision from '@tensorgrad/vision';
import type { ExampleModules } from './run-example.js';

/** Every module an example may import, by the specifier it imports it with. */
export const EXAMPLE_MODULES: ExampleModules = {
  tensorgrad,
  '@tensorgrad/tensor': tensor,
  '@tensorgrad/tensor/backend': tensorBackend,
  '@tensorgrad/autodiff': autodiff,
  '@tensorgrad/backend-cpu': backendCpu,
  '@tensorgrad/backend-webgpu': backendWebgpu,
  '@tensorgrad/backend-tfjs': backendTfjs,
  '@tensorgrad/layers': layers,
  '@tensorgrad/losses': losses,
  '@tensorgrad/optimizers': optimizers,
  '@tensorgrad/data': data,
  '@tensorgrad/io': io,
  '@tensorgrad/vision': vision,
};
