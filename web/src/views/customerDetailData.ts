import { api, must } from '../api/client'
import type { paths } from '../api/schema'
import { ApiError, toProblem } from '../api/problem'

export type Customer = paths['/api/v1/customers/{id}']['get']['responses'][200]['content']['application/json']
export type Count = { count: number; more: boolean } | null | undefined
export type Summary = Record<string, string | number | null>
export interface DetailRequests {
  customer: Promise<{ data: Customer; etag: string }>
  summary: Promise<Summary>
  counts: Promise<Record<string, Count>>
}

export const TAB_LIMIT = 100

// What the detail's first paint needs: the record (with its ETag for the edit), the money
// picture and every tab's count.
export function fetchCustomer(id: string): DetailRequests['customer'] {
  return api.GET('/api/v1/customers/{id}', { params: { path: { id } } }).then(({ data, error, response }) => {
    if (!response.ok) throw new ApiError(toProblem(response.status, error))
    return { data: data!, etag: response.headers.get('ETag') ?? '' }
  })
}
function fetchDetail(id: string): DetailRequests {
  const requests = {
    customer: fetchCustomer(id),
    summary: must(api.GET('/api/v1/customers/{id}/summary' as never, { params: { path: { id } } } as never)) as Promise<Summary>,
    counts: must(api.GET('/api/v1/customers/{id}/tab-counts', { params: { path: { id }, query: { limit: TAB_LIMIT } } })) as Promise<Record<string, Count>>,
  }
  // a navigation that did not arrive never takes them: their failures are nobody's to report
  for (const request of Object.values(requests)) request.catch(() => undefined)
  return requests
}

let started: { id: string; at: number; requests: DetailRequests } | null = null

// Called by the router's guard (app.ts) as soon as a click on a customer is handled: the requests
// travel while the screen it leaves is unmounted and the detail's chunk and tree are set up,
// instead of leaving from the detail's setup after all that.
export function startDetail(id: string) {
  started = { id, at: Date.now(), requests: fetchDetail(id) }
}

// The detail's setup takes what the guard started for it (once, and only fresh: a reload or a
// later visit asks again), or starts it itself.
export function takeDetail(id: string): DetailRequests {
  const taken = started
  started = null
  return taken && taken.id === id && Date.now() - taken.at < 5000 ? taken.requests : fetchDetail(id)
}
