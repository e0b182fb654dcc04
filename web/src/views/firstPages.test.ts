import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { askFirstPage, askForScreen, firstPage } from './firstPages'
import { useLoad } from '../composables/useLoad'

// a stand-in server: each request answers with its own number, so a test sees which one it got
let sent: string[] = []
beforeEach(() => {
  sent = []
  vi.stubGlobal('fetch', async (request: Request) => {
    sent.push(new URL(request.url).pathname + new URL(request.url).search)
    return new Response(JSON.stringify({ items: [], request: sent.length }), { headers: { 'Content-Type': 'application/json' } })
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('a list screen\'s first page', () => {
  it('is the one the click asked for: one request, sent before the screen takes it', async () => {
    askFirstPage('fulfilments')
    expect(sent).toEqual(['/api/v1/fulfilments?status=open&limit=50'])
    expect(await firstPage('fulfilments')).toMatchObject({ request: 1 })
    expect(sent).toHaveLength(1)
  })

  it('is taken once: the next load asks again', async () => {
    askFirstPage('receivables')
    await firstPage('receivables')
    expect(await firstPage('receivables')).toMatchObject({ request: 2 })
  })

  it('is asked for by the screen itself when no click asked (a reload, a link)', async () => {
    expect(await firstPage('serviceOrders')).toMatchObject({ request: 1 })
    expect(sent).toEqual(['/api/v1/field-service-orders?limit=100'])
  })

  it('is not taken stale: an answer asked for more than five seconds ago is asked again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    askFirstPage('pendingCalls')
    vi.setSystemTime(Date.now() + 6000)
    expect(await firstPage('pendingCalls')).toMatchObject({ request: 2 })
  })

  it('is asked for by a menu entry only with the permission its list takes', () => {
    askForScreen('finance', () => false)
    askForScreen('admin', () => true)
    expect(sent).toEqual([])
    askForScreen('finance', (permission) => permission === 'receivables.read')
    expect(sent).toEqual(['/api/v1/receivables?limit=50'])
  })

  it('of 客户 is asked for by its menu entry: the list\'s unfiltered first 20', () => {
    askForScreen('customers', () => false)
    expect(sent).toEqual([])
    askForScreen('customers', (permission) => permission === 'customers.read')
    expect(sent).toEqual(['/api/v1/customers?limit=20'])
  })

  it('answers a useLoad\'s first load only; its reloads use its own request', async () => {
    askFirstPage('openWorkOrders')
    const load = useLoad(async () => ({ own: true }), () => firstPage('openWorkOrders') as Promise<never>)
    expect(await load.reload()).toMatchObject({ request: 1 })
    expect(await load.reload()).toEqual({ own: true })
    expect(sent).toHaveLength(1)
  })
})
