export interface CodelistEntriesTable {
  list: string
  code: string
  label_vi: string
  label_en: string
  parent_code: string | null
  sort_order: number
  /** First day the entry applies (migration 0056); null: no known start. */
  valid_from: string | null
  /** Last day the entry applies; null: still in force. */
  valid_to: string | null
}
