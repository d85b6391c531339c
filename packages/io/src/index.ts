/**
 * `@tensorgrad/io`: safetensors read/write of state dicts (byte-compatible with the reference
 * implementation, so files round-trip with PyTorch), PyTorch's own `.pth`/`.pt` checkpoints
 * (`loadTorch`, `saveTorch`: read without executing anything) and atomic training checkpoints.
 *
 * @packageDocumentation
 */
export * from './safetensors.js';
export * from './checkpoint.js';
export * from './torch.js';
