// Decree 45/2012/NĐ-CP Art. 1.2 names three subjects, all recorded as establishments (code list
// `establishment_kind`): (a) rural-industrial (CNNT) establishments, (b) industrial producers
// applying cleaner production, (c) those who manage or provide khuyến công services.

/** (a): the kinds counted as CNNT establishments. */
export const CNNT_KINDS = ['sme', 'cooperative', 'cooperative_group', 'household_business']

/** (c): they carry schemes out (implementing or partner units), so are never a scheme's beneficiary. */
export const NON_BENEFICIARY_KINDS = ['service_provider']
