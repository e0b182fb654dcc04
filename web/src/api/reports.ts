// Report routes answer a caller whose scope is `all` (head office) once per branch:
// {branches: {SH: answer, BJ: answer}, missing_branches}. Everyone else gets the answer itself.
export function perBranch<T>(answer: unknown): [string | null, T][] {
  if (answer && typeof answer === 'object' && 'branches' in answer) {
    return Object.entries((answer as { branches: Record<string, T> }).branches)
  }
  return answer ? [[null, answer as T]] : []
}

// An amount whose field the caller's role masks (字段权限) comes as `****`, one it hides not at all:
// either is no number. `null` stands for it; a table shows MASK, a chart leaves a gap.
export const MASK = '****'
export type Figure = number | null
export function figure(value: unknown): Figure {
  if (value === undefined || (typeof value === 'string' && value.includes('*'))) return null
  const n = Number(value ?? 0)
  return Number.isNaN(n) ? null : n
}
export const shownFigure = (value: Figure) => (value === null ? MASK : value)

// Rows of several branches added up by key, in first-seen order: one chart for the whole company.
// A figure not shown in one branch is not shown in the sum.
export function sumByKey(rows: { key: string; values: Figure[] }[]): { key: string; values: Figure[] }[] {
  const out = new Map<string, Figure[]>()
  for (const row of rows) {
    const seen = out.get(row.key)
    out.set(row.key, seen
      ? seen.map((v, i) => (v === null || row.values[i] === null ? null : v + (row.values[i] ?? 0)))
      : [...row.values])
  }
  return [...out].map(([key, values]) => ({ key, values }))
}

// A CSV Excel opens as UTF-8 (BOM), cells quoted where they need it.
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => v === null ? MASK : (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
