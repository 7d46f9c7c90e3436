export interface CodelistsTable {
  name: string
  label_vi: string
  label_en: string
  description: string | null
}
