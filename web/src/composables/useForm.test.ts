import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/problem'
import { describe as describeError, useForm } from './useForm'

describe('useForm', () => {
  it('puts a 422 beside the fields it names and reports no result', async () => {
    const form = useForm()
    const result = await form.run(async () => {
      throw new ApiError({ status: 422, title: 'Invalid input', errors: { email: ['Not a valid email address.'] } })
    })
    expect(result).toBeUndefined()
    expect(form.errors.value).toEqual({ email: 'Not a valid email address.' })
    expect(form.busy.value).toBe(false)
  })

  it('clears old field errors when the next save succeeds', async () => {
    const form = useForm()
    form.errors.value = { name: 'Missing.' }
    expect(await form.run(async () => 'saved')).toBe('saved')
    expect(form.errors.value).toEqual({})
  })

  it('words 404 and 412 the same way on every screen', () => {
    expect(describeError(new ApiError({ status: 404, title: 'Not found' }))).toBe('未找到，或你无权查看')
    expect(describeError(new ApiError({ status: 412, title: 'Precondition failed' }))).toContain('其他人已修改')
    expect(describeError(new ApiError({ status: 409, title: 'Conflict', detail: '客户已被领取' }))).toBe('客户已被领取')
  })
})
