// Report routes answer a caller whose scope is `all` (head office) once per branch:
// {branches: {SH: answer, BJ: answer}, missing_branches}. Everyone else gets the answer itself.
export function perBranch<T>(answer: unknown): [string | null, T][] {
  if (answer && typeof answer === 'object' && 'branches' in answer) {
    return Object.entries((answer as { branches: Record<string, T> }).branches)
  }
  return answer ? [[null, answer as T]] : []
}

// Rows of several branches added up by key, in first-seen order: one chart for the whole company.
export function sumByKey(rows: { key: string; values: number[] }[]): { key: string; values: number[] }[] {
  const out = new Map<string, number[]>()
  for (const row of rows) {
    const seen = out.get(row.key)
    out.set(row.key, seen ? seen.map((v, i) => v + (row.values[i] ?? 0)) : [...row.values])
  }
  return [...out].map(([key, values]) => ({ key, values }))
}

// A CSV Excel opens as UTF-8 (BOM), cells quoted where they need it.
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
