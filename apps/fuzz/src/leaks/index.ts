export * from './probe.js';
export * from './backends.js';
export * from './layer-cases.js';
export * from './training.js';
export * from './loss-cases.js';
export * from './target.js';
