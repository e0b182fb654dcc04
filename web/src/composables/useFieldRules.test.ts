import { describe, expect, it } from 'vitest'
import { isHidden, isMasked, isShownWhole, isWritable, writable } from './useFieldRules'

const rules = {
  'customer.phone': { access: 'read_only', mask: 'list' },
  'customer.notes': { access: 'hidden', mask: 'none' },
  'customer.email': { access: 'editable', mask: 'all' },
  'customer.address': { access: 'editable', mask: 'none' },
} as const

describe('field rules', () => {
  it('says what is hidden and what may be written', () => {
    expect(isHidden(rules, 'customer', 'notes')).toBe(true)
    expect(isHidden(rules, 'customer', 'phone')).toBe(false)
    expect(isWritable(rules, 'customer', 'phone')).toBe(false)
    expect(isWritable(rules, 'customer', 'email')).toBe(false) // masked everywhere
    expect(isWritable(rules, 'customer', 'address')).toBe(true)
    expect(isWritable(rules, 'customer', 'name')).toBe(true) // no rule: editable
    expect(isWritable(undefined, 'customer', 'phone')).toBe(true)
  })

  it('leaves what may not be written out of a body', () => {
    expect(writable(rules, 'customer', { name: 'n', phone: '13812345678', notes: 'x', email: null, city: '上海' }))
      .toEqual({ name: 'n', city: '上海' })
  })

  it('says what is shown whole and what a list masked', () => {
    expect(isShownWhole(rules, 'customer', 'phone')).toBe(true) // masked in lists only
    expect(isShownWhole(rules, 'customer', 'email')).toBe(false)
    expect(isShownWhole(rules, 'customer', 'notes')).toBe(false)
    expect(isShownWhole({ 'quote.total': { access: 'read_only', mask: 'none' } }, 'quote', 'total')).toBe(true)
    expect([isMasked('****'), isMasked('138****5678'), isMasked('12.00'), isMasked(undefined)]).toEqual([true, true, false, false])
  })
})
