export interface CodelistEntriesTable {
  list: string
  code: string
  label_vi: string
  label_en: string
  parent_code: string | null
  sort_order: number
}
