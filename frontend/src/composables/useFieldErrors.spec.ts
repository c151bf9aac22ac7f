import { describe, expect, it } from 'vitest'
import { ref } from 'vue'

import { ApiProblem } from '@/api/problem'

import { toPointer, useFieldErrors } from './useFieldErrors'

function problem(errors: { field: string; message: string; pointer?: string; code?: string }[]): ApiProblem {
  return new ApiProblem({
    type: 'https://kipp.example/problems/validation-error',
    title: 'Permintaan tidak valid',
    status: 422,
    detail: 'Periksa 2 isian yang ditandai.',
    errors,
  })
}

describe('useFieldErrors', () => {
  it('turns a dotted field name into an RFC 6901 pointer', () => {
    expect(toPointer('stages.3.starts_at')).toBe('/stages/3/starts_at')
    expect(toPointer('a/b~c')).toBe('/a~1b~0c')
    expect(toPointer('body')).toBe('')
    expect(toPointer('/already')).toBe('/already')
  })

  it("matches each error to the form's field by pointer and leaves the rest, labelled, for the alert", () => {
    const error = ref<unknown>(
      problem([
        {
          field: 'stages.1.starts_at',
          pointer: '/stages/1/starts_at',
          code: 'window_overlap',
          message: 'Bertumpang tindih dengan jadwal tahapan submission.',
        },
        { field: 'name', pointer: '/name', code: 'string_too_short', message: 'Minimal 3 karakter.' },
        {
          field: 'sections.x',
          pointer: '/sections/x',
          code: 'unknown_section',
          message: 'Bukan bagian dari lomba ini.',
        },
        { field: 'weird.path', pointer: '/weird/path', code: 'value_error', message: 'Isian ini tidak sah.' },
      ]),
    )
    const fields = useFieldErrors(error, {
      'stages.1.starts_at': 'Mulai',
      name: 'Nama',
      sections: 'Bagian usulan',
    })
    expect(fields.message('stages.1.starts_at')).toBe('Bertumpang tindih dengan jadwal tahapan submission.')
    expect(fields.message('/name')).toBe('Minimal 3 karakter.')
    expect(fields.message('region')).toBeUndefined()
    expect(fields.hasError('stages')).toBe(true)
    expect(fields.hasError('timezone')).toBe(false)
    expect(fields.shown.value).toEqual(['/stages/1/starts_at', '/name'])
    // Never a raw path: inside a known field it carries that field's label, otherwise none.
    expect(fields.unmatched.value).toEqual([
      { label: 'Bagian usulan', message: 'Bukan bagian dari lomba ini.' },
      { label: null, message: 'Isian ini tidak sah.' },
    ])
    error.value = null
    expect(fields.errors.value).toEqual([])
    expect(fields.message('name')).toBeUndefined()
  })

  it('reads an older answer that has only the dotted field', () => {
    const fields = useFieldErrors(problem([{ field: 'stages.0.ends_at', message: 'Harus sesudah waktu mulai.' }]))
    expect(fields.message('/stages/0/ends_at')).toBe('Harus sesudah waktu mulai.')
  })
})
