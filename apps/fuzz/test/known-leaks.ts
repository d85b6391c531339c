/**
 * Leaks the leak tests found and that are not fixed yet, keyed `<backend>/<module class>`, with
 * the reason. Each one's test expects the leak (and fails once it is fixed: then remove the
 * entry); the tests print and count them.
 */
export const KNOWN_LEAKS: Readonly<Record<string, string>> = {};
