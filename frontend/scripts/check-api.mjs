#!/usr/bin/env node
// Fails when src/api/schema.d.ts is not what openapi-typescript makes of ../openapi/openapi.json,
// so the typed client can never go stale silently. Fix with `npm run gen:api`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const spec = join(root, '..', 'openapi', 'openapi.json')
const committed = join(root, 'src', 'api', 'schema.d.ts')

if (!existsSync(spec)) {
  console.error(`check:api: ${spec} does not exist`)
  process.exit(2)
}
if (!existsSync(committed)) {
  console.error('check:api: src/api/schema.d.ts is missing; run `npm run gen:api`')
  process.exit(1)
}

const dir = mkdtempSync(join(tmpdir(), 'kipp-schema-'))
const fresh = join(dir, 'schema.d.ts')
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), spec, '-o', fresh],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const normalise = (text) => text.replace(/\r\n/g, '\n')
  if (normalise(readFileSync(fresh, 'utf8')) !== normalise(readFileSync(committed, 'utf8'))) {
    console.error('check:api: src/api/schema.d.ts is stale against openapi/openapi.json; run `npm run gen:api`')
    process.exit(1)
  }
  console.log('check:api: src/api/schema.d.ts is up to date')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
