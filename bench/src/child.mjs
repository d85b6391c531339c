// One library's benchmark process, started by suite.mjs with an IPC channel:
//   node src/child.mjs <library> <options JSON>
// It runs the cases listed in the options and sends each result to the parent as it comes.
import { caseList } from './cases.mjs';
import { runLibrary } from './run-library.mjs';

const [libraryId, json] = process.argv.slice(2);
const options = JSON.parse(json);
const wanted = new Set(options.caseIds);
const cases = caseList(options.scale ?? 'full').filter((k) => wanted.has(k.id));

const pending = [];
const send = (msg) => pending.push(new Promise((resolve) => process.send(msg, resolve)));
try {
  // results go out one by one so that a crash later keeps the ones measured
  await runLibrary(libraryId, cases, options, send);
} catch (err) {
  send({ type: 'fatal', library: libraryId, message: String(err?.stack ?? err) });
}
await Promise.all(pending);
// wasm runtimes may keep handles open: leave once every message is out
process.exit(0);
