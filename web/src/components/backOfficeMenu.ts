import { DataAnalysis, Money, Notebook, Setting, Tools, Van } from '@element-plus/icons-vue'
import { router } from '../router'
import type { Key } from '../i18n'

// Part 2's menu entries, shown when /me grants any permission their route asks for (router.ts).
const anyOf = (name: string) => (router.getRoutes().find((r) => r.name === name)?.meta.anyOf as string[] | undefined) ?? []
export const BACK_OFFICE: { name: string; label: Key; icon: object; anyOf: string[] }[] = [
  { name: 'shipping', label: 'warehouse', icon: Van, anyOf: anyOf('shipping') },
  { name: 'finance', label: 'finance', icon: Money, anyOf: anyOf('finance') },
  { name: 'field-service', label: 'fieldService', icon: Tools, anyOf: anyOf('field-service') },
  { name: 'workspace', label: 'workspace', icon: Notebook, anyOf: anyOf('workspace') },
  { name: 'reports', label: 'reports', icon: DataAnalysis, anyOf: anyOf('reports') },
  { name: 'admin', label: 'admin', icon: Setting, anyOf: anyOf('admin') },
]
