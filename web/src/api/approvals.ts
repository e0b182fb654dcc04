import { api, must } from './client'

// The approval desk's document types (docs/approvals.md) and where each is decided and shown.
export type DocumentType = 'order' | 'discount' | 'contract' | 'contract_change' | 'contract_termination' | 'return'
  | 'pool_extension' | 'expense_reimbursement' | 'invoice' | 'invoice_reversal' | 'receipt'
export const TYPES: DocumentType[] = ['order', 'contract', 'contract_change', 'contract_termination', 'return', 'pool_extension',
  'expense_reimbursement', 'invoice', 'invoice_reversal', 'receipt']
// Its own resource's approve / reject (docs/sales.md), or for finance's documents the approval
// itself (docs/approvals.md). A hand discount beyond the limit is steps added to its order's approval.
const DECIDED_AT: Record<DocumentType, string> = {
  order: 'orders', discount: 'orders', contract: 'contracts', contract_change: 'contract-changes',
  contract_termination: 'contract-changes', return: 'returns', pool_extension: 'extension-requests',
  expense_reimbursement: 'expenses', invoice: 'approvals', invoice_reversal: 'approvals', receipt: 'approvals',
}
// The screen that shows the document to its approvers, who may see it outside their data scope
// (a contract's is its printed sheet; a change order, termination or return has none of its own).
const SCREENS: Partial<Record<DocumentType, string>> = {
  order: '/orders/', discount: '/orders/', contract: '/print/contracts/', pool_extension: '/extension-requests/',
  expense_reimbursement: '/expenses/', invoice: '/invoices/', invoice_reversal: '/invoices/', receipt: '/receipts/',
}

type Approval = { id?: string | null; document_type?: string | null; document_id?: string | null; current_step?: number | null }

// The document's screen, carrying the approval so that it can be decided there too.
export function screenOf(a: Approval): string | undefined {
  const screen = SCREENS[a.document_type as DocumentType]
  return screen && `${screen}${a.document_id}?approval=${a.id}`
}

export function decide(a: Approval, action: 'approve' | 'reject', comment: string | undefined) {
  const resource = DECIDED_AT[a.document_type as DocumentType] ?? 'orders'
  const path = `/api/v1/${resource}/{id}/${action}` as '/api/v1/orders/{id}/approve'
  return must(api.POST(path, {
    params: { path: { id: resource === 'approvals' ? a.id! : a.document_id! } },
    body: { comment: comment || null, step: a.current_step ?? undefined } }))
}
