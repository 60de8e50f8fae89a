// Evaluates a flagd flag definition file with OpenFeature's own flagd evaluation core (@openfeature/flagd-core,
// pinned in package-lock.json), for the tests: they compare what it resolves with what the project means.
// Usage: node scripts/flagd-evaluate.mjs REQUEST.json, where the request is
//   {"flags": "path/to/file.flagd.json", "cases": [{"flag": "key", "context": {...}}], "buckets": ["text", ...]}
// and the answer on stdout is
//   {"metadata": {...}, "results": [{"variant", "value", "reason", "errorCode"}], "buckets": [0..9999, ...]}.
// The file is loaded with strict validation against flagd's schema: an invalid file fails with exit code 2.
// "buckets" asks, for each text, which of 10,000 equal buckets flagd's fractional operation hashes it into.
import { readFileSync } from 'node:fs';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';

const quiet = { error() {}, warn() {}, info() {}, debug() {} };

function load(text) {
  const storage = new MemoryStorage(quiet);
  storage.setConfigurations(text, true);
  return new FlagdCore(storage, quiet);
}

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let core;
try {
  core = load(readFileSync(request.flags, 'utf8'));
} catch (e) {
  process.stderr.write(`The flag file is not valid flagd: ${e.message}\n`);
  process.exit(2);
}

// The caller's default is a value no exported flag holds, so "served the caller's default" shows as value null.
const defaults = { boolean: false, number: -0.5, string: '\u0000caller default', object: {} };
const results = (request.cases ?? []).map(({ flag, context }) => {
  const found = core.getFlag(flag);
  const type = found ? typeof [...found.variants.values()][0] : 'string';
  const resolution = core.resolve(type, flag, defaults[type], context ?? {});
  return {
    variant: resolution.variant ?? null,
    value: resolution.variant === undefined ? null : resolution.value,
    reason: resolution.reason,
    errorCode: resolution.errorCode ?? null,
  };
});

// One flag splitting by the given text into 10,000 unit buckets named by their number.
const count = 10000;
const calibration = load(JSON.stringify({
  flags: {
    bucket: {
      state: 'ENABLED',
      defaultVariant: '0',
      variants: Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), i])),
      targeting: { fractional: [{ var: 'text' }, ...Array.from({ length: count }, (_, i) => [String(i), 1])] },
    },
  },
}));
const buckets = (request.buckets ?? []).map((text) => calibration.resolveNumberEvaluation('bucket', -1, { text }).value);

process.stdout.write(JSON.stringify({ metadata: core.getFlagSetMetadata(), results, buckets }));
