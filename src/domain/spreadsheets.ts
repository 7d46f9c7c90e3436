// Answers as official spreadsheets: a read answers .xlsx when Accept names it (and does not prefer
// JSON), next to its JSON (and CSV). The workbook is written by lib/xlsx.ts.
import { PassThrough } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TSchema } from 'typebox'
import { prefers } from '../lib/negotiation.ts'
import { type Sheet, writeWorkbook, XLSX_TYPE } from '../lib/xlsx.ts'

export const wantsXlsx = (request: FastifyRequest) => prefers(request.headers.accept, XLSX_TYPE)

const XLSX_CONTENT = {
  [XLSX_TYPE]: {
    schema: {
      type: 'string',
      format: 'binary',
      description:
        'Bảng tính Excel — the official spreadsheet: title rows with the province and period, Vietnamese ' +
        'headings, one sheet per section, numbers as numbers, frozen header rows.',
    },
  },
}

type Responses = Record<number, unknown>

/** A route's responses with the spreadsheet added to its 200 (JSON, or JSON and CSV, already there). */
export function withXlsx(responses: Responses, description: string): Responses {
  const ok = responses[200] as { description?: string; content?: Record<string, unknown> } | TSchema
  const content = 'content' in ok && ok.content ? ok.content : { 'application/json': { schema: ok } }
  return {
    ...responses,
    200: {
      description: ('content' in ok && ok.description) || description,
      content: { ...content, ...XLSX_CONTENT },
    },
  }
}

/** Streams the workbook as the answer, saved under `filename`. */
export function sendXlsx(request: FastifyRequest, reply: FastifyReply, filename: string, sheets: Sheet[]) {
  const out = new PassThrough()
  writeWorkbook(sheets, out).catch((error) => {
    request.log.error({ err: error }, 'spreadsheet failed')
    out.destroy(error)
  })
  return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="${filename}"`).send(out)
}
