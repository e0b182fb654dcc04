import { describe, expect, it } from 'vitest'
import { csvChunks } from './csvChunks'

describe('csvChunks', () => {
  it('repeats the header and numbers the first data row of each chunk', () => {
    const chunks = csvChunks('\uFEFFname,city\n甲,杭州\n乙,宁波\n丙,温州\n', 2)
    expect(chunks).toEqual([
      { first_row: 1, csv: 'name,city\n甲,杭州\n乙,宁波\n' },
      { first_row: 3, csv: 'name,city\n丙,温州\n' },
    ])
  })

  it('keeps a quoted newline inside its record', () => {
    const chunks = csvChunks('name,notes\n甲,"第一行\n第二行"\n乙,x', 1)
    expect(chunks.map((c) => c.first_row)).toEqual([1, 2])
    expect(chunks[0].csv).toBe('name,notes\n甲,"第一行\n第二行"\n')
    expect(chunks[1].csv).toBe('name,notes\n乙,x\n')
  })

  it('has nothing to send for a header alone', () => {
    expect(csvChunks('name\n')).toEqual([])
  })
})
