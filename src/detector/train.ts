/**
 * Trains the worry detector's second opinion from data/detector/train.tsv (messages we wrote
 * ourselves; never the dev or held-out sets) and writes data/detector/model.json.
 * Run: npm run detector:train. Deterministic: the same file gives the same model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLabelledTsv } from './labelled.js';
import { normalise } from './normalise.js';
import { MODEL_FILE, serialiseModel, trainModel } from './model.js';

export const TRAINING_FILE = new URL('../../data/detector/train.tsv', import.meta.url);

const { rows, errors } = parseLabelledTsv(readFileSync(TRAINING_FILE, 'utf8'));
for (const e of errors) console.error(`train.tsv:${e.line}: ${e.message}`);
if (errors.length > 0) process.exit(1);
const model = trainModel(rows.map((r) => ({ normalised: normalise(r.text), label: r.label })));
writeFileSync(MODEL_FILE, serialiseModel(model, { file: 'data/detector/train.tsv', messages: rows.length }));
console.log(`${fileURLToPath(MODEL_FILE)}: trained on ${rows.length} messages`);
