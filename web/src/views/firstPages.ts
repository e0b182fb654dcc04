import { api, must } from '../api/client'

// A list screen's first page, asked for in the click that opens the screen (a menu entry, a tab)
// rather than from the screen's setup: the request then travels with the screen's chunk and its
// first render (and the previous screen's unmount) instead of after them — under a throttled CPU
// that was 60–400 ms of a list's first paint. The screen takes the answer once, and only fresh.
// The queries are the screens' own first ones: here, so that the shell can send them without
// loading the screens' code.
export const FIRST_PAGES = {
  customers: () => must(api.GET('/api/v1/customers', { params: { query: { limit: 20 } } })),
  fulfilments: () => must(api.GET('/api/v1/fulfilments', { params: { query: { status: 'open', limit: 50 } } })),
  receivables: () => must(api.GET('/api/v1/receivables', { params: { query: { limit: 50 } } })),
  serviceOrders: () => must(api.GET('/api/v1/field-service-orders', { params: { query: { limit: 100 } } })),
  pendingCalls: () => must(api.GET('/api/v1/calls', { params: { query: { limit: 50, status: 'pending' } } })),
  openWorkOrders: () => must(api.GET('/api/v1/work-orders', { params: { query: { limit: 50, status: 'open' } } })),
}
type Pages = typeof FIRST_PAGES
type Name = keyof Pages
type Answer<N extends Name> = Awaited<ReturnType<Pages[N]>>

const FRESH_MS = 5000
const asked = new Map<Name, { at: number; answer: Promise<unknown> }>()

export function askFirstPage(name: Name) {
  const answer = FIRST_PAGES[name]()
  // a navigation that did not arrive never takes it: its failure is nobody's to report
  answer.catch(() => undefined)
  asked.set(name, { at: Date.now(), answer })
}

// The screen's first load: the answer asked for by the click if there is a fresh one, else a new request.
export function firstPage<N extends Name>(name: N): Promise<Answer<N>> {
  const early = asked.get(name)
  asked.delete(name)
  return (early && Date.now() - early.at < FRESH_MS ? early.answer : FIRST_PAGES[name]()) as Promise<Answer<N>>
}

// The list each menu entry opens on, and the permission its first page takes (without it the
// screen shows something else first, or its own error: nothing to ask for).
const SCREENS: Record<string, [Name, string | null]> = {
  customers: ['customers', 'customers.read'],
  shipping: ['fulfilments', 'fulfilments.read'],
  finance: ['receivables', 'receivables.read'],
  'field-service': ['serviceOrders', null],
}
export function askForScreen(route: string, can: (permission: string) => boolean) {
  const screen = SCREENS[route]
  if (screen && (!screen[1] || can(screen[1]))) askFirstPage(screen[0])
}
