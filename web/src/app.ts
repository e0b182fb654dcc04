import { createApp } from 'vue'
import { createPinia } from 'pinia'
import {
  ElAlert, ElBadge, ElButton, ElCard, ElConfigProvider, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty,
  ElMenu, ElMenuItem,
} from 'element-plus'
// LoadState draws el-skeleton's markup without the component
import 'element-plus/es/components/skeleton/style/css'
import './style.css'
import './back-office.css'
import App from './App.vue'
import { preload, router } from './router'
import { installSessionRecovery } from './stores/session'
import { startDetail } from './views/customerDetailData'
import { locale } from './i18n'

const app = createApp(App)
// Only what the shell and 工作台 draw (and LoadState, everywhere): each screen imports the rest
// itself, so they load with the screen and the first route's JavaScript stays small.
for (const component of [
  ElAlert, ElBadge, ElButton, ElCard, ElConfigProvider, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty,
  ElMenu, ElMenuItem,
]) {
  app.component(component.name!, component)
}
document.documentElement.lang = locale.value
app.use(createPinia()).use(router)
installSessionRecovery(() => {
  const current = router.currentRoute.value
  if (current.name !== 'login') void router.push({ name: 'login', query: { next: current.fullPath } })
})
// A customer's record, money picture and tab counts leave as the click is handled, after
// router.ts's guard has let it through (guards run in the order they were added).
router.beforeEach((to) => {
  if (to.name === 'customer') startDetail(String(to.params.id))
})
preload(location.pathname)
app.mount('#app')
