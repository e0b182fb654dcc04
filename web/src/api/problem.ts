// An answer that is not 2xx, as the API describes it (RFC 9457 problem+json).
export interface Problem {
  status: number
  title: string
  detail?: string
  errors?: Record<string, string[] | Record<string, unknown>>
}

export class ApiError extends Error {
  constructor(public problem: Problem) {
    super(problem.detail || problem.title)
  }
  get status() {
    return this.problem.status
  }
}

export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'title' in body) {
    return { ...(body as Problem), status }
  }
  return { status, title: status >= 500 ? 'Service unavailable' : 'Error' }
}

// Field errors flattened to "lines.0.quantity" → first message, as forms show them beside fields.
export function fieldErrors(problem: Problem | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string')) out[path] = value.join(' ')
      else value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i)))
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key)
    }
  }
  walk(problem?.errors, '')
  return out
}
