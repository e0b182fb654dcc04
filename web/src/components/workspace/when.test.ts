import { describe, expect, it } from 'vitest'
import { when } from './when'

describe('when', () => {
  it('writes what the zh-CN formatter writes, in the same zone', () => {
    const intl = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: false })
    for (const at of ['2026-12-02T00:05:00Z', '2026-01-09T23:59:59+08:00', '2026-03-04T09:07:00', '2026-10-31T16:00:00.123456+00:00', '2025-06-15T12:30:00Z']) {
      expect(when(at)).toBe(intl.format(new Date(at)))
    }
  })
  it('shows a dash when there is no time', () => {
    expect(when(null)).toBe('—')
    expect(when(undefined)).toBe('—')
    expect(when('')).toBe('—')
  })
})
