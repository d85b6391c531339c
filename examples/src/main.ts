/**
 * Runs every example of the book's chapters 1–2 and prints a report (`npm start` at the repo
 * root builds and runs this).
 */
import { memory } from 'tensorgrad';
import { printFiniteDifference } from './ch1-feed-forward-finite-difference.js';
import { printAutograd } from './ch2-autograd.js';

const started = performance.now();
console.log('tensorgrad: the worked examples of Modern Computer Vision with PyTorch, chapters 1-2\n');
printFiniteDifference();
console.log();
printAutograd();
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(2)} s; live tensors left: ${memory().numTensors}`);
