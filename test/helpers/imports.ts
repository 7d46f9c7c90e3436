// CSV files for import tests: `n` new establishments of province 08, tagged to tell files apart.
export const HEADER = 'external_id,commune_code,name,kind\n'
export const line = (tag: string, i: number) => `${tag}-${i},00691,Cơ sở ${tag} ${i},household_business\n`
export const csvOf = (tag: string, n: number) =>
  HEADER + Array.from({ length: n }, (_, i) => line(tag, i + 1)).join('')
