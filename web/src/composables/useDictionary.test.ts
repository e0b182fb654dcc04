import { afterEach, describe, expect, it } from 'vitest'
import { locale } from '../i18n'
import { entryLabel } from './useDictionary'

describe('entryLabel', () => {
  afterEach(() => { locale.value = 'zh-CN' })
  it('shows the half of the current locale, a leading code with either', () => {
    expect(entryLabel('制造业 Manufacturing')).toBe('制造业')
    expect(entryLabel('批发零售 Wholesale and retail')).toBe('批发零售')
    expect(entryLabel('A 重点客户 Key')).toBe('A 重点客户')
    expect(entryLabel('E')).toBe('E')
    locale.value = 'en'
    expect(entryLabel('批发零售 Wholesale and retail')).toBe('Wholesale and retail')
    expect(entryLabel('A 重点客户 Key')).toBe('A Key')
  })
})
