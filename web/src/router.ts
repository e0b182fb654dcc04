import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session'

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
        { path: 'notifications', name: 'notifications', component: () => import('./views/NotificationsView.vue') },
        { path: 'password', name: 'password', component: () => import('./views/PasswordView.vue') },
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
  if (session.signedIn || (await session.refresh())) return true
  return { name: 'login', query: { next: to.fullPath } }
})
