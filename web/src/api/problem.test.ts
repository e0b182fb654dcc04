import { describe, expect, it } from 'vitest'
import { ApiError, fieldErrors, toProblem } from './problem'

describe('fieldErrors', () => {
  it('puts nested line errors under dotted paths, as the quote form names its fields', () => {
    const problem = toProblem(422, {
      title: 'Invalid input', errors: { name: ['Missing data for required field.'],
        lines: { '0': { quantity: ['Not a valid number.', 'Too many places.'] } } },
    })
    expect(fieldErrors(problem)).toEqual({
      name: 'Missing data for required field.', 'lines.0.quantity': 'Not a valid number. Too many places.',
    })
  })

  it('reads schema-wide messages and list-level messages', () => {
    expect(fieldErrors({ status: 422, title: 'x', errors: { lines: ['Each product may appear on one line only.'] } }))
      .toEqual({ lines: 'Each product may appear on one line only.' })
    expect(fieldErrors(null)).toEqual({})
  })
})

describe('toProblem', () => {
  it('keeps the server problem and its status', () => {
    const error = new ApiError(toProblem(412, { title: 'Precondition failed', detail: 'changed' }))
    expect(error.status).toBe(412)
    expect(error.message).toBe('changed')
  })

  it('names a bodiless failure by its status class', () => {
    expect(toProblem(503, 'gateway timeout').title).toBe('Service unavailable')
    expect(toProblem(400, undefined).title).toBe('Error')
  })
})
