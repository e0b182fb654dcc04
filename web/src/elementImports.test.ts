// Element Plus is registered per screen (app.ts registers only the shell's components, so the first
// route's JavaScript stays small). A tag whose component nobody imported renders as nothing, and
// Vue only warns: this test makes the omission a failure instead of an empty screen.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(__dirname)

function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? vueFiles(join(dir, entry.name)) : entry.name.endsWith('.vue') ? [join(dir, entry.name)] : [])
}

const pascal = (tag: string) => tag.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('')

function imported(source: string): Set<string> {
  const names = new Set<string>()
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'element-plus'/g)) {
    for (const name of match[1].split(',')) names.add(name.trim().split(/\s+as\s+/).pop()!)
  }
  return names
}

const global = imported(readFileSync(join(SRC, 'app.ts'), 'utf8'))

describe('Element Plus components', () => {
  it('app.ts registers some (the shell) and is read by this test', () => {
    expect(global.has('ElButton')).toBe(true)
  })

  for (const file of vueFiles(SRC)) {
    it(`${file.slice(SRC.length + 1)} imports every el- tag it uses`, () => {
      const source = readFileSync(file, 'utf8')
      const template = source.slice(source.indexOf('<template'))
      const used = new Set([...template.matchAll(/<(el-[a-z-]+)/g)].map((m) => pascal(m[1])))
      const mine = imported(source)
      const missing = [...used].filter((name) => !mine.has(name) && !global.has(name))
      expect(missing).toEqual([])
    })
  }
})
