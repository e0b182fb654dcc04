import { describe, expect, it } from 'vitest'
import { figure, perBranch, shownFigure, sumByKey, toCsv } from './reports'

describe('report answers', () => {
  it('reads a branch-by-branch answer and a plain one alike', () => {
    expect(perBranch({ branches: { BJ: { n: 1 }, SH: { n: 2 } }, missing_branches: [] })).toEqual([['BJ', { n: 1 }], ['SH', { n: 2 }]])
    expect(perBranch({ n: 3 })).toEqual([[null, { n: 3 }]])
    expect(perBranch(null)).toEqual([])
  })

  it('adds the branches up per key, keeping the order of first appearance', () => {
    expect(sumByKey([{ key: 'A', values: [1, 2] }, { key: 'B', values: [5, 0] }, { key: 'A', values: [3, 4] }]))
      .toEqual([{ key: 'A', values: [4, 6] }, { key: 'B', values: [5, 0] }])
  })

  it('keeps an amount the role masks or hides as no number, not NaN or 0, also in a sum', () => {
    expect([figure('12.50'), figure('****'), figure(undefined), figure(null), figure(3)]).toEqual([12.5, null, null, 0, 3])
    expect(sumByKey([{ key: 'A', values: [1, null] }, { key: 'A', values: [2, 5] }])).toEqual([{ key: 'A', values: [3, null] }])
    expect(shownFigure(null)).toBe('****')
    expect(toCsv(['n'], [[null]])).toBe('\ufeffn\r\n****\r\n')
  })

  it('writes a CSV with a BOM and quotes the cells that need it', () => {
    expect(toCsv(['名称', 'n'], [['a,b', 1], ['say "hi"', 2]])).toBe('\ufeff名称,n\r\n"a,b",1\r\n"say ""hi""",2\r\n')
  })
})
