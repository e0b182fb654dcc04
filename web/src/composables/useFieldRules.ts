// Field permissions (字段权限) as /me reports them: the API already leaves hidden fields out and
// masks what is masked; the console uses the rules to draw no empty row for a hidden field and to
// offer no input for a field the caller may not write (the API would refuse it with a 422).
import { useSession } from '../stores/session'

export type FieldRule = { access?: 'hidden' | 'read_only' | 'editable'; mask?: 'none' | 'list' | 'all' }
export type FieldRules = Record<string, FieldRule | undefined>

export function isHidden(rules: FieldRules | null | undefined, resource: string, field: string): boolean {
  return rules?.[`${resource}.${field}`]?.access === 'hidden'
}

// Masked everywhere counts as not writable: the caller would overwrite what they cannot see.
export function isWritable(rules: FieldRules | null | undefined, resource: string, field: string): boolean {
  const rule = rules?.[`${resource}.${field}`]
  return !rule || ((rule.access ?? 'editable') === 'editable' && rule.mask !== 'all')
}

// Shown whole where it is not a list: neither hidden nor masked everywhere (a figure worked out from
// it, such as an estimate, would tell what the mask hides).
export function isShownWhole(rules: FieldRules | null | undefined, resource: string, field: string): boolean {
  const rule = rules?.[`${resource}.${field}`]
  return !rule || (rule.access !== 'hidden' && rule.mask !== 'all')
}

// A value a list masked (`138****5678`, `****`): no value to start a form from.
export const isMasked = (value: unknown) => typeof value === 'string' && value.includes('***')

// A write body without the keys the caller may not write.
export function writable<T extends Record<string, unknown>>(rules: FieldRules | null | undefined, resource: string,
  body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => isWritable(rules, resource, key))) as Partial<T>
}

export function useFieldRules(resource: string) {
  const session = useSession()
  const rules = () => (session.me as { fields?: FieldRules } | null)?.fields
  return {
    hidden: (field: string) => isHidden(rules(), resource, field),
    canWrite: (field: string) => isWritable(rules(), resource, field),
    shownWhole: (field: string) => isShownWhole(rules(), resource, field),
    writable: <T extends Record<string, unknown>>(body: T) => writable(rules(), resource, body),
  }
}
