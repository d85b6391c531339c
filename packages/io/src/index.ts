/**
 * `@tensorgrad/io`: safetensors read/write of state dicts (byte-compatible with the reference
 * implementation, so files round-trip with PyTorch) and atomic training checkpoints.
 *
 * @packageDocumentation
 */
export * from './safetensors.js';
export * from './checkpoint.js';
