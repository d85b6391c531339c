/**
 * What the leak tests found and is not fixed yet — leaks, and failures that stop a leak check
 * before it can count — keyed `<backend>/<what>`, with the reason. Each entry's test expects the
 * failure (and fails once it is fixed: then remove the entry); the tests print and count them.
 * Empty now: what they found is fixed (see the changesets of the `leaks` branch).
 */
export const KNOWN_LEAKS: Readonly<Record<string, string>> = {};
