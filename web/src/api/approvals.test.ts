import { describe, expect, it } from 'vitest'
import { screenOf } from './approvals'

describe('screenOf', () => {
  const of = (document_type: string) => screenOf({ id: 'a1', document_type, document_id: 'd1' })
  it('opens each decided document on its own screen, carrying the approval', () => {
    expect(of('order')).toBe('/orders/d1?approval=a1')
    expect(of('discount')).toBe('/orders/d1?approval=a1')
    expect(of('contract')).toBe('/print/contracts/d1?approval=a1')
    expect(of('pool_extension')).toBe('/extension-requests/d1?approval=a1')
    expect(of('expense_reimbursement')).toBe('/expenses/d1?approval=a1')
    expect(of('invoice')).toBe('/invoices/d1?approval=a1')
    expect(of('invoice_reversal')).toBe('/invoices/d1?approval=a1')
    expect(of('receipt')).toBe('/receipts/d1?approval=a1')
  })
  it('links nothing for a document without a screen', () => {
    expect(of('contract_change')).toBeUndefined()
    expect(of('return')).toBeUndefined()
  })
})
