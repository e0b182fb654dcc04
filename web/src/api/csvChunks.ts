// Splits a CSV file into chunks of whole records, each led by the header line, with the number
// of its first data row, as POST /customer-imports/{id}/chunks wants them (bodies stay under the
// gateway's 1 MB cap). A newline inside quotes belongs to its field, not to a new record.
export function csvChunks(text: string, rowsPerChunk = 2000): { first_row: number; csv: string }[] {
  const body = text.replace(/^\uFEFF/, '')
  const records: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < body.length; i++) {
    const char = body[i]
    if (char === '"') quoted = !quoted
    else if (char === '\n' && !quoted) {
      records.push(body.slice(start, i + 1))
      start = i + 1
    }
  }
  if (start < body.length) records.push(body.slice(start) + '\n')
  const [header, ...rows] = records.filter((record) => record.trim() !== '')
  const chunks = []
  for (let i = 0; i < rows.length; i += rowsPerChunk) {
    chunks.push({ first_row: i + 1, csv: header + rows.slice(i, i + rowsPerChunk).join('') })
  }
  return chunks
}
