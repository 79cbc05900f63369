// Validates CSAF 2.0 documents with the BSI's csaf-validator-lib: the strict schema test and
// every mandatory test (section 6.1 of CSAF 2.0).
// Usage: node validate-csaf.mjs < documents.json (a JSON array of documents).
// Prints one JSON line: {"valid": true|false, "results": [{"id", "valid", "errors"}]}.
import { readFileSync } from 'node:fs'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'
import * as schema from '@secvisogram/csaf-validator-lib/schemaTests.js'
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js'

const docs = JSON.parse(readFileSync(0, 'utf8'))
const tests = [schema.csaf_2_0_strict, ...Object.values(mandatory)]
const results = []
for (const d of docs) {
  const r = await validateStrict(tests, d)
  const failed = r.tests.filter((t) => !t.isValid).map((t) => ({ name: t.name, errors: t.errors }))
  results.push({ id: d?.document?.tracking?.id, valid: r.isValid, tests: r.tests.length, failed })
}
process.stdout.write(JSON.stringify({ valid: results.every((r) => r.valid), results }) + '\n')
