#!/usr/bin/env node
// After `vite build`: a brotli (.br) and a gzip (.gz) copy beside every text file of dist/, at
// the strongest settings (built once, sent many times). kipp.static sends the copy the browser
// accepts, so nothing is compressed while serving. Node's own zlib: no extra package.
// Usage: node scripts/precompress.mjs [dist]   (part of `npm run build`)
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, extname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt', '.map'])
// A copy that saves less than this is not worth a second file (nor the Vary).
const MIN_BYTES = 256

const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    // dist/.vite holds the build's manifest, for tools, not browsers.
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) yield* files(path)
    } else if (TEXT.has(extname(entry.name))) yield path
  }
}

let raw = 0
let br = 0
let gz = 0
let count = 0
for (const path of files(dist)) {
  const body = readFileSync(path)
  if (body.length < MIN_BYTES) continue
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  })
  const gzip = gzipSync(body, { level: 9 })
  // Same modification time as the original: Last-Modified does not depend on the coding.
  const { atime, mtime } = statSync(path)
  for (const [suffix, bytes] of [
    ['.br', brotli],
    ['.gz', gzip],
  ]) {
    writeFileSync(path + suffix, bytes)
    utimesSync(path + suffix, atime, mtime)
  }
  raw += body.length
  br += brotli.length
  gz += gzip.length
  count += 1
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(
  `precompress: ${count} files in ${relative(process.cwd(), dist) || '.'}: ${kb(raw)} → ${kb(br)} brotli, ${kb(gz)} gzip`,
)
