// A restricted pickle VM: it reads the pickles torch.save writes (protocols 0-5) and builds
// plain JavaScript values, calling nothing but the few globals its caller allows (like PyTorch's
// `weights_only=True` unpickler). Any other global is refused at the GLOBAL / STACK_GLOBAL opcode,
// before anything could be called, with an error naming it. Every length read from the input is
// checked against the bytes that remain before anything is allocated for it.

/** @internal A Python tuple (kept apart from lists only where it matters: arguments). */
export type PyTuple = unknown[];

/** @internal A global the caller allows: called by REDUCE with the argument tuple. */
export interface PyGlobal {
  readonly module: string;
  readonly name: string;
  /** Calls the global (REDUCE); absent for globals that are only markers (classes, storage types). */
  readonly call?: (args: PyTuple) => unknown;
  /** Applies a BUILD state to a value this global made; absent: BUILD on it is refused. */
  readonly build?: (target: unknown, state: unknown) => void;
}

/** @internal What the VM needs from its caller. */
export interface UnpickleHooks {
  /** The allowed global `module.name`, or undefined to refuse it. */
  findGlobal(module: string, name: string): PyGlobal | undefined;
  /** Resolves a persistent id (BINPERSID / PERSID). */
  persistentLoad(pid: unknown): unknown;
}

/** @internal A Python dict: a plain object with string keys (int keys become decimal strings). */
export type PyDict = Record<string, unknown>;

const DICTS = new WeakSet<object>();

/** @internal A new, empty Python dict. */
export function newDict(): PyDict {
  const d: PyDict = {};
  DICTS.add(d);
  return d;
}

/** @internal Whether `v` is a dict made by the VM. */
export function isDict(v: unknown): v is PyDict {
  return typeof v === 'object' && v !== null && DICTS.has(v);
}

function dictKey(op: string, key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isInteger(key)) return String(key);
  if (typeof key === 'bigint') return key.toString();
  throw new Error(
    `${op}: the pickle has a dict key ${typeof key === 'object' ? (Array.isArray(key) ? 'tuple' : String(key)) : `${typeof key} ${String(key)}`}; ` +
      'expected str or int keys (state dicts and checkpoints use them)',
  );
}

/** @internal Sets `d[key] = value` (defined, so that a key such as `__proto__` is an ordinary key). */
export function setItem(op: string, d: unknown, key: unknown, value: unknown): void {
  if (!isDict(d)) throw new Error(`${op}: the pickle sets an item on something that is not a dict; the file is corrupt`);
  Object.defineProperty(d, dictKey(op, key), { value, enumerable: true, writable: true, configurable: true });
}

const MARK = Symbol('mark');

const OPNAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** A little-endian two's-complement integer of `bytes` (LONG1/LONG4), as a number when safe. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * @internal Runs one pickle from `bytes[start]` to its STOP opcode; returns the value and the
 * position after STOP. Only the globals `hooks.findGlobal` returns can be referred to; REDUCE
 * calls only those globals' `call`.
 */
export function unpickle(op: string, bytes: Uint8Array, start: number, hooks: UnpickleHooks): { value: unknown; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let p = start;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();
  const tuples = new WeakSet<object>();
  let at = start;
  const fail = (what: string): Error => new Error(`${op}: ${what} (pickle opcode at byte ${at}); the file is corrupt or not a PyTorch checkpoint`);
  const need = (k: number, what: string): void => {
    if (k < 0 || p + k > n) throw fail(`${what} needs ${k} bytes but only ${Math.max(0, n - p)} remain: the file is truncated`);
  };
  const take = (k: number, what: string): Uint8Array => {
    need(k, what);
    const out = bytes.subarray(p, p + k);
    p += k;
    return out;
  };
  const line = (what: string): string => {
    const endAt = bytes.indexOf(0x0a, p);
    if (endAt < 0) throw fail(`${what} has no terminating newline: the file is truncated`);
    const s = new TextDecoder('latin1').decode(bytes.subarray(p, endAt));
    p = endAt + 1;
    return s;
  };
  const text = (raw: Uint8Array, what: string): string => {
    try {
      return utf8.decode(raw);
    } catch {
      throw fail(`${what} is not valid UTF-8`);
    }
  };
  const pop = (what: string): unknown => {
    if (stack.length === 0) throw fail(`${what} found an empty stack`);
    return stack.pop();
  };
  const top = (what: string): unknown => {
    if (stack.length === 0) throw fail(`${what} found an empty stack`);
    return stack[stack.length - 1];
  };
  const popMark = (what: string): unknown[] => {
    const items = stack;
    const prev = marks.pop();
    if (!prev) throw fail(`${what} found no MARK`);
    stack = prev;
    return items;
  };
  const tuple = (items: unknown[]): PyTuple => {
    tuples.add(items);
    return items;
  };
  const global = (module: string, name: string): PyGlobal => {
    const g = hooks.findGlobal(module, name);
    if (!g) {
      throw new Error(
        `${op}: the file's pickle refers to the global '${module}.${name}', which is not allowed: only tensors, storages and ` +
          '(ordered) dicts, lists, tuples and primitives are loaded, and nothing in the file is ever executed (like torch.load(..., weights_only=True)). ' +
          'If you trust the file, load it in Python and re-save its state dict with torch.save(model.state_dict(), path)',
      );
    }
    return g;
  };
  const getMemo = (i: number): unknown => {
    if (!memo.has(i)) throw fail(`memo entry ${i} is read before it was written`);
    return memo.get(i);
  };
  const putMemo = (i: number): void => {
    memo.set(i, top('PUT'));
  };
  const int = (v: bigint | number): number | bigint => (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  const builtBy = new WeakMap<object, PyGlobal>();

  for (;;) {
    at = p;
    if (p >= n) throw fail('the pickle ends without a STOP opcode: the file is truncated');
    const code = bytes[p++]!;
    switch (code) {
      case 0x80: // PROTO
        take(1, 'PROTO');
        break;
      case 0x95: // FRAME: a length prefix only
        take(8, 'FRAME');
        break;
      case 0x2e: // STOP
        if (marks.length) throw fail('STOP inside an unclosed MARK');
        if (stack.length !== 1) throw fail(`STOP with ${stack.length} values on the stack (expected 1)`);
        return { value: stack[0], end: p };
      case 0x28: // MARK
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop('POP');
        break;
      case 0x31: // POP_MARK
        popMark('POP_MARK');
        break;
      case 0x32: // DUP
        stack.push(top('DUP'));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32((need(4, 'BININT'), (p += 4) - 4), true));
        break;
      case 0x4b: // BININT1
        stack.push(take(1, 'BININT1')[0]!);
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16((need(2, 'BININT2'), (p += 2) - 2), true));
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(take(take(1, 'LONG1')[0]!, 'LONG1')));
        break;
      case 0x8b: {
        // LONG4
        const k = view.getInt32((need(4, 'LONG4'), (p += 4) - 4), true);
        if (k > 4096) throw fail(`LONG4 declares a ${k}-byte integer; expected at most 4096 bytes`);
        stack.push(decodeLong(take(k, 'LONG4')));
        break;
      }
      case 0x49: {
        // INT (text; 'I01'/'I00' are True/False)
        const s = line('INT');
        if (s === '01' || s === '00') stack.push(s === '01');
        else if (/^[-+]?\d+$/.test(s)) stack.push(int(BigInt(s)));
        else throw fail(`INT has the text ${JSON.stringify(s.slice(0, 40))}`);
        break;
      }
      case 0x4c: {
        // LONG (text)
        const s = line('LONG').replace(/L$/, '');
        if (!/^[-+]?\d+$/.test(s) || s.length > 4096) throw fail(`LONG has the text ${JSON.stringify(s.slice(0, 40))}`);
        stack.push(int(BigInt(s)));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        stack.push(view.getFloat64((need(8, 'BINFLOAT'), (p += 8) - 8), false));
        break;
      case 0x46: {
        // FLOAT (text)
        const s = line('FLOAT');
        const v = Number(s);
        if (s.trim() === '' || (Number.isNaN(v) && !/nan/i.test(s))) throw fail(`FLOAT has the text ${JSON.stringify(s.slice(0, 40))}`);
        stack.push(v);
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(text(take(view.getUint32((need(4, 'BINUNICODE'), (p += 4) - 4), true), 'BINUNICODE'), 'BINUNICODE'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(take(take(1, 'SHORT_BINUNICODE')[0]!, 'SHORT_BINUNICODE'), 'SHORT_BINUNICODE'));
        break;
      case 0x8d: {
        // BINUNICODE8
        need(8, 'BINUNICODE8');
        const k = view.getBigUint64(p, true);
        p += 8;
        if (k > BigInt(n - p)) throw fail(`BINUNICODE8 declares ${k} bytes but only ${n - p} remain: the file is truncated`);
        stack.push(text(take(Number(k), 'BINUNICODE8'), 'BINUNICODE8'));
        break;
      }
      case 0x54: // BINSTRING (Python 2 str; torch.load's default encoding is utf-8)
        stack.push(text(take(view.getInt32((need(4, 'BINSTRING'), (p += 4) - 4), true), 'BINSTRING'), 'BINSTRING'));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(text(take(take(1, 'SHORT_BINSTRING')[0]!, 'SHORT_BINSTRING'), 'SHORT_BINSTRING'));
        break;
      case 0x42: // BINBYTES
        stack.push(take(view.getUint32((need(4, 'BINBYTES'), (p += 4) - 4), true), 'BINBYTES').slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(take(1, 'SHORT_BINBYTES')[0]!, 'SHORT_BINBYTES').slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop('TUPLE1')]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop('TUPLE2');
        stack.push(tuple([pop('TUPLE2'), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop('TUPLE3');
        const b = pop('TUPLE3');
        stack.push(tuple([pop('TUPLE3'), b, c]));
        break;
      }
      case 0x74: {
        // TUPLE (popMark replaces `stack`: pop first, then push)
        const items = popMark('TUPLE');
        stack.push(tuple(items));
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: {
        // LIST
        const items = popMark('LIST');
        stack.push(items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop('APPEND');
        const list = top('APPEND');
        if (!Array.isArray(list) || tuples.has(list)) throw fail('APPEND to something that is not a list');
        list.push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark('APPENDS');
        const list = top('APPENDS');
        if (!Array.isArray(list) || tuples.has(list)) throw fail('APPENDS to something that is not a list');
        for (const v of items) list.push(v);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(newDict());
        break;
      case 0x64: {
        // DICT
        const items = popMark('DICT');
        if (items.length % 2) throw fail('DICT with an odd number of items');
        const d = newDict();
        for (let i = 0; i < items.length; i += 2) setItem(op, d, items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop('SETITEM');
        const k = pop('SETITEM');
        setItem(op, top('SETITEM'), k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark('SETITEMS');
        if (items.length % 2) throw fail('SETITEMS with an odd number of items');
        const d = top('SETITEMS');
        for (let i = 0; i < items.length; i += 2) setItem(op, d, items[i], items[i + 1]);
        break;
      }
      case 0x71: // BINPUT
        putMemo(take(1, 'BINPUT')[0]!);
        break;
      case 0x72: // LONG_BINPUT
        putMemo(view.getUint32((need(4, 'LONG_BINPUT'), (p += 4) - 4), true));
        break;
      case 0x70: {
        // PUT (text)
        const s = line('PUT');
        if (!/^\d+$/.test(s)) throw fail(`PUT has the text ${JSON.stringify(s.slice(0, 40))}`);
        putMemo(Number(s));
        break;
      }
      case 0x94: // MEMOIZE
        putMemo(memo.size);
        break;
      case 0x68: // BINGET
        stack.push(getMemo(take(1, 'BINGET')[0]!));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(getMemo(view.getUint32((need(4, 'LONG_BINGET'), (p += 4) - 4), true)));
        break;
      case 0x67: {
        // GET (text)
        const s = line('GET');
        if (!/^\d+$/.test(s)) throw fail(`GET has the text ${JSON.stringify(s.slice(0, 40))}`);
        stack.push(getMemo(Number(s)));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line('GLOBAL');
        const name = line('GLOBAL');
        stack.push(global(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop('STACK_GLOBAL');
        const module = pop('STACK_GLOBAL');
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL with a module or name that is not a string');
        stack.push(global(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop('REDUCE');
        const fn = pop('REDUCE') as PyGlobal;
        if (typeof fn !== 'object' || fn === null || !('module' in fn) || typeof fn.call !== 'function') {
          throw fail(`REDUCE calls something that is not an allowed callable${typeof fn === 'object' && fn !== null && 'module' in fn ? ` ('${fn.module}.${fn.name}' cannot be called)` : ''}`);
        }
        if (!Array.isArray(args) || !tuples.has(args)) throw fail(`REDUCE of '${fn.module}.${fn.name}' without an argument tuple`);
        const value = fn.call(args);
        if (typeof value === 'object' && value !== null) builtBy.set(value, fn);
        stack.push(value);
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop('BUILD');
        const target = top('BUILD');
        const maker = typeof target === 'object' && target !== null ? builtBy.get(target) : undefined;
        if (!maker?.build) throw fail(`BUILD (setting an object's state) on ${maker ? `a '${maker.module}.${maker.name}'` : 'a value'} that takes no state`);
        maker.build(target, state);
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop('BINPERSID')));
        break;
      case 0x50: // PERSID (text)
        stack.push(hooks.persistentLoad(line('PERSID')));
        break;
      default:
        throw fail(
          OPNAMES[code]
            ? `the pickle opcode ${OPNAMES[code]} (0x${code.toString(16)}) is not supported: checkpoints of tensors, dicts, lists and primitives do not use it`
            : `0x${code.toString(16).padStart(2, '0')} is not a pickle opcode`,
        );
    }
  }
}
