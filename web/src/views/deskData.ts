import { api, must } from '../api/client'
import type { Me } from '../stores/early'

// 工作台's panels: each loads on its own (a slow service or a missing permission empties one
// panel, not the desk).
export function deskRequests(me: Me) {
  const can = (permission: string) => !!me.permissions?.includes(permission)
  return {
    approvals: must(api.GET('/api/v1/approvals', { params: { query: { limit: 10 } } })),
    dashboard: must(api.GET('/api/v1/dashboard')),
    customers: can('customers.read') ? must(api.GET('/api/v1/customers', {
      params: { query: { owner_id: me.id ?? undefined, limit: 50, sort: '-updated_at' } } })) : undefined,
    receivables: can('receivables.read') ? must(api.GET('/api/v1/receivables', { params: { query: { limit: 50 } } })) : undefined,
  }
}
export type DeskRequests = ReturnType<typeof deskRequests>
// what has come back so far, by panel: a panel already answered is drawn with the desk's first render
export type DeskAnswers = { [K in keyof DeskRequests]?: Awaited<NonNullable<DeskRequests[K]>> }

let early: { at: number; requests: DeskRequests; answers: DeskAnswers } | null = null

// Started by stores/early.ts when a page load opens on 工作台, as soon as /me is in: the answers
// come back while the console's JavaScript is still being evaluated and the shell drawn.
export function startDesk(me: Me) {
  const requests = deskRequests(me)
  const answers: DeskAnswers = {}
  for (const [name, request] of Object.entries(requests)) {
    request?.then((answer) => { (answers as Record<string, unknown>)[name] = answer }, () => undefined)
  }
  early = { at: Date.now(), requests, answers }
}

// 工作台's setup takes them once, and only fresh (a later visit asks again)
export function takeDesk() {
  const taken = early
  early = null
  return taken && Date.now() - taken.at < 10000 ? taken : null
}
