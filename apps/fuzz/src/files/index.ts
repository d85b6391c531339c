// The hostile-file fuzzers: one FuzzTarget per reader, and their shared machinery.
export * from './hostile.js';
export * from './idx.js';
export * from './safetensors.js';
export * from './checkpoint.js';
export * from './pth.js';
export * from './png.js';
export * from './jpeg.js';
export * from './file-targets.js';
