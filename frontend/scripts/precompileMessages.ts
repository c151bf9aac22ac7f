// Vite plugin: the locale message files (src/i18n/locales/<lang>/<area>.ts) are compiled at build
// time into vue-i18n's message AST, so the shell ships without vue-i18n's message compiler
// (~17 KB of JS a judge's phone would parse before the first screen). The files stay as written:
// every string that is a message (an object property's value) becomes its minified AST, which
// vue-i18n's runtime formats without compiling. Builds only: the dev server and Vitest keep the
// strings and the compiler (the completeness spec reads the strings).
import { baseCompile } from '@intlify/message-compiler'
import type { Plugin } from 'vite'

/** An ESTree node as the bundler's parser returns it (only the fields used here). */
interface Node {
  type: string
  start: number
  end: number
  [field: string]: unknown
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string'
}

/** The string literals that are property values, in source order. */
function messageLiterals(node: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) messageLiterals(child, found)
  } else if (isNode(node)) {
    const value = node.value
    if (node.type === 'Property' && isNode(value) && value.type === 'Literal' && typeof value.value === 'string') {
      found.push(value)
      return found
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'type') messageLiterals(child, found)
  }
  return found
}

/** The message as the AST vue-i18n's runtime formats; throws on a message that does not compile. */
export function compileMessage(message: string): string {
  const errors: string[] = []
  const { ast } = baseCompile(message, {
    jit: true,
    minify: true,
    location: false,
    onError: (error) => errors.push(error.message),
  })
  if (errors.length) throw new Error(`${errors.join('; ')} in message ${JSON.stringify(message)}`)
  return JSON.stringify(ast)
}

/**
 * Precompile the message files matching `files` (absolute module ids). Also tells vue-i18n to
 * leave its compiler out of the build (`__INTLIFY_DROP_MESSAGE_COMPILER__`): every message it
 * meets in production is then one of these ASTs.
 */
export function precompileMessages(files: RegExp): Plugin {
  let build = false
  return {
    name: 'kipp:precompile-messages',
    enforce: 'post', // after TypeScript is stripped: plain JS for the parser
    config(_config, { command }) {
      build = command === 'build' && !process.env.VITEST
      return { define: { __INTLIFY_DROP_MESSAGE_COMPILER__: JSON.stringify(build) } }
    },
    transform(code, id) {
      if (!build || !files.test(id)) return null
      const literals = messageLiterals(this.parse(code))
      let out = ''
      let last = 0
      for (const literal of literals) {
        let compiled: string
        try {
          compiled = compileMessage(literal.value as string)
        } catch (error) {
          this.error(`${id}: ${(error as Error).message}`)
        }
        out += code.slice(last, literal.start) + compiled
        last = literal.end
      }
      return { code: out + code.slice(last), map: null }
    },
  }
}
