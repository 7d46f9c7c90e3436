/** Which demo datasets have been loaded, so a restart never loads one twice. */
export interface DemoDataLoadsTable {
  name: string
  loaded_at: string | undefined
}
