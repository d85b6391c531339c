/**
 * What the leak tests found and is not fixed yet — leaks, and failures that stop a leak check
 * before it can count — keyed `<backend>/<what>`, with the reason. Each entry's test expects the
 * failure (and fails once it is fixed: then remove the entry); the tests print and count them.
 */
export const KNOWN_LEAKS: Readonly<Record<string, string>> = {
  'webgpu/LBFGS.loadStateDict':
    "LBFGS.loadStateDict reads the state dict's `ro` tensor with dataSync(), which webgpu cannot (no synchronous reads); " +
    'fixing it needs `ro` stored as plain numbers in the state dict (a format change) or an asynchronous load',
};
