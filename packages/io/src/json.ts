// Helpers for JSON read from files: checked before JSON.parse (which recurses and would overflow
// the call stack on input nested 10^5 deep) and written without invoking `__proto__` setters.

/**
 * @internal The deepest nesting of `[` / `{` in the JSON text, outside strings; stops counting
 * once it passes `limit` (so a hostile text costs one linear scan at most).
 */
export function jsonDepth(json: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote (an unterminated one is JSON.parse's error to report)
      for (i++; i < json.length && json.charCodeAt(i) !== 0x22; i++) if (json.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** @internal Sets `record[key] = value` as an own property, so that a key such as `__proto__` is an ordinary key. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
