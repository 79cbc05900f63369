// Validates OSV documents against the OSV JSON schema (draft 2020-12) with ajv and ajv-formats.
// Usage: node validate-osv.mjs SCHEMA.json < documents.json (a JSON array of documents).
// Prints one JSON line: {"valid": true|false, "results": [{"id", "valid", "errors"}]}.
import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const schema = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const docs = JSON.parse(readFileSync(0, 'utf8'))
const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)
const check = ajv.compile(schema)
const results = docs.map((d) => {
  const valid = check(d)
  return { id: d && d.id, valid, errors: valid ? [] : check.errors }
})
process.stdout.write(JSON.stringify({ valid: results.every((r) => r.valid), results }) + '\n')
