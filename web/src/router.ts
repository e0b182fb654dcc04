import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from './stores/session'

// Part 2 (issue 18): each screen names the permissions that open it (any one of them).
const backOfficeRoutes: RouteRecordRaw[] = [
  { path: 'shipping', name: 'shipping', component: () => import('./views/ShippingView.vue'),
    meta: { anyOf: ['fulfilments.read', 'shipments.read'] } },
  { path: 'finance', name: 'finance', component: () => import('./views/FinanceView.vue'),
    meta: { anyOf: ['receivables.read', 'receipts.read', 'invoices.read', 'bank_accounts.read', 'payments.read'] } },
  { path: 'finance/statements/:id', name: 'statement', component: () => import('./views/StatementView.vue'), props: true,
    meta: { anyOf: ['finance.reports'] } },
  { path: 'field-service', name: 'field-service', component: () => import('./views/FieldServiceView.vue'),
    meta: { anyOf: ['field_service.read', 'field_service.provider'] } },
  { path: 'admin', name: 'admin', component: () => import('./views/AdminView.vue'),
    meta: { anyOf: ['admin.departments', 'admin.users', 'admin.roles', 'admin.api_keys', 'admin.audit', 'admin.dictionaries', 'approval_flows.read'] } },
  { path: 'reports', name: 'reports', component: () => import('./views/ReportsView.vue'),
    meta: { anyOf: ['customers.read', 'opportunities.read', 'finance.reports', 'shipments.read'] } },
  { path: 'workspace', name: 'workspace', component: () => import('./views/WorkspaceView.vue'),
    meta: { anyOf: ['announcements.read', 'calendar.use', 'knowledge.read', 'reminders.use', 'documents.read', 'sms.read'] } },
  { path: 'print/:kind(quotes|orders|contracts)/:id', name: 'print', component: () => import('./views/PrintView.vue'), props: true },
]

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./components/AppLayout.vue'),
      children: [
        { path: '', name: 'desk', component: () => import('./views/DeskView.vue') },
        { path: 'customers', name: 'customers', component: () => import('./views/CustomersView.vue') },
        { path: 'customers/:id', name: 'customer', component: () => import('./views/CustomerDetailView.vue'), props: true },
        { path: 'leads', name: 'leads', component: () => import('./views/LeadsView.vue') },
        { path: 'pool', name: 'pool', component: () => import('./views/PoolView.vue') },
        { path: 'opportunities', name: 'opportunities', component: () => import('./views/OpportunitiesView.vue') },
        { path: 'quotes/new', name: 'quote-new', component: () => import('./views/QuoteEditorView.vue') },
        { path: 'orders/:id', name: 'order', component: () => import('./views/OrderView.vue'), props: true },
        { path: 'approvals', name: 'approvals', component: () => import('./views/ApprovalsView.vue') },
        // the documents an approver opens from 审批 (the API lets them, outside their data scope)
        { path: ':kind(invoices|receipts|extension-requests|expenses)/:id', name: 'document',
          component: () => import('./views/DocumentView.vue'), props: true },
        { path: 'notifications', name: 'notifications', component: () => import('./views/NotificationsView.vue') },
        { path: 'password', name: 'password', component: () => import('./views/PasswordView.vue') },
        ...backOfficeRoutes,
        { path: ':rest(.*)*', name: 'missing', component: () => import('./components/LoadState.vue'),
          props: { loading: false, error: { status: 404, problem: { status: 404, title: 'Not found' } } } },
      ],
    },
  ],
})

// A reload keeps the session through the HttpOnly cookie; without one, 登录 and then back here.
router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const session = useSession()
  if (!session.signedIn && !(await session.refresh())) return { name: 'login', query: { next: to.fullPath } }
  // A screen the caller may not open answers like a record out of scope: not found, same URL.
  const anyOf = to.meta.anyOf as string[] | undefined
  if (anyOf && !anyOf.some((p) => session.can(p))) {
    return { name: 'missing', params: { rest: to.path.split('/').filter(Boolean) }, query: to.query, hash: to.hash, replace: true }
  }
  return true
})

// A screen's chunks, loading (and evaluated) before the router asks for them: the first screen's
// while the session is restored, instead of after the guard; a likely next one when idle.
export function preload(path: string): Promise<unknown> {
  return Promise.all(router.resolve(path).matched.map((record) => {
    const load = record.components?.default
    return typeof load === 'function' ? (load as () => Promise<unknown>)().catch(() => undefined) : undefined
  }))
}

// One screen per idle period, each after the one before has loaded: evaluating several chunks in
// one idle callback would be one long task in the way of the next click.
export function preloadWhenIdle(...paths: string[]) {
  const later = (window as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f) => setTimeout(f, 200))
  const next = () => {
    const path = paths.shift()
    if (path) later(() => void preload(path).then(next))
  }
  // after the frame that shows what the screen loaded, not in the gap before it
  requestAnimationFrame(() => setTimeout(next))
}
