export interface CollaboratorCommunesTable {
  collaborator_id: string
  commune_code: string
  province_code: string
}
