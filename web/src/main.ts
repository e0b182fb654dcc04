import { createApp } from 'vue'
import { createPinia } from 'pinia'
import {
  ElAlert, ElBadge, ElButton, ElCard, ElCol, ElConfigProvider, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm,
  ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElRow, ElSelect, ElProgress, ElSkeleton,
  ElSwitch, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem,
} from 'element-plus'
import 'element-plus/dist/index.css'
import './style.css'
import './back-office.css'
import App from './App.vue'
import { router } from './router'
import { installSessionRecovery } from './stores/session'
import { locale } from './i18n'

const app = createApp(App)
// Only the components the screens use, so the first route's JavaScript stays small.
for (const component of [
  ElAlert, ElBadge, ElButton, ElCard, ElCol, ElConfigProvider, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm,
  ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElRow, ElSelect, ElProgress, ElSkeleton,
  ElSwitch, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem,
]) {
  app.component(component.name!, component)
}
document.documentElement.lang = locale.value
app.use(createPinia()).use(router)
installSessionRecovery(() => {
  const current = router.currentRoute.value
  if (current.name !== 'login') void router.push({ name: 'login', query: { next: current.fullPath } })
})
app.mount('#app')
