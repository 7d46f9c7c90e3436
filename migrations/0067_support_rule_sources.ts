// The seeded national support rules checked against what could be found of the texts (issue #15):
// TT 28/2018/TT-BTC entered into force on 11 May 2018 (the day TTLT 26/2014 expired), its Art. 8.4
// caps machinery at an establishment at 50 % and 300 m VND and a whole technology line at 1.5 times
// that (450 m VND), its Art. 8.2 a demonstration model of new technology at 30 % and 1,000 m VND —
// as two official summaries quote them; the text itself could not be read here. A whole technology
// line gets its own project type so that its cap can differ from machinery's. What stays unconfirmed
// is said in each rule's source.
import { type Kysely, sql } from 'kysely'

/** The clause, as the summaries number it. */
const tt28 = (clause: string) => sql.lit(`TT 28/2018/TT-BTC Art. ${clause} (amended by TT 64/2024/TT-BTC)`)

const SUMMARIES =
  'Cap and clause as quoted by official summaries of TT 28/2018/TT-BTC (thuvienphapluat.vn, 12 June 2018; ' +
  'luatvietnam.vn; the answer of the Bình Thuận khuyến công centre, 2021) and shared/DOMAIN.md; in force ' +
  'from 11 May 2018. NOT confirmed against the text of the circular: the priority-area uplift of 1.5× (from ' +
  'shared/DOMAIN.md; no source found states it for this cap), the counterpart funds (inferred from “at most ' +
  'X % of the cost”), and whether TT 64/2024/TT-BTC changed the figures (none found that did).'

const ADVANCE =
  'Figure from issue #15, which cites TTLT 26/2014/TTLT-BTC-BCT Art. 8.2.b; that circular expired on 11 May ' +
  '2018 when TT 28/2018/TT-BTC replaced it, and whether TT 28/2018 keeps a 70 % advance cap is NOT confirmed ' +
  '(not found in any source read). Kept as the working figure until the ministry confirms or changes it.'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update codelist_entries set label_vi = 'Ứng dụng máy móc thiết bị tiên tiến', label_en = 'advanced machinery'
      where list = 'project_type' and code = 'machinery_line';
    insert into codelist_entries (list, code, label_vi, label_en, parent_code, sort_order)
      values ('project_type', 'technology_line', 'Ứng dụng dây chuyền công nghệ hoàn chỉnh', 'whole technology line',
        'demonstration_technology', (select max(sort_order) + 1 from codelist_entries))
      on conflict do nothing;

    update support_rules set valid_from = '2018-05-11', legal_basis = ${tt28('8.4')},
        source = ${sql.lit(SUMMARIES)}, version = version + 1, updated_at = now()
      where level = 'national' and project_type = 'machinery_line' and valid_from = '2018-05-15';
    update support_rules set valid_from = '2018-05-11', legal_basis = ${tt28('8.2')},
        source = ${sql.lit(SUMMARIES)}, version = version + 1, updated_at = now()
      where level = 'national' and project_type = 'demonstration_model' and valid_from = '2018-05-15';
    update support_rules set valid_from = '2018-05-11', source = ${sql.lit(ADVANCE)}, version = version + 1, updated_at = now()
      where level = 'national' and advance_max_percent is not null and valid_from = '2018-05-15';

    insert into support_rules (level, legal_basis, title, valid_from, activity_content, project_type,
        max_share_percent, max_amount, amount_basis, priority_uplift, counterpart_required, source)
      values ('national', ${tt28('8.4')},
        'Hỗ trợ ứng dụng dây chuyền công nghệ hoàn chỉnh — a whole technology line at an establishment: 1.5 times the machinery cap, ≤ 50 % of the cost, ≤ 450 million VND per establishment',
        '2018-05-11', 'demonstration_technology', 'technology_line', 50, 450000000, 'per_establishment', 1.5, true,
        ${sql.lit(`${SUMMARIES} The 50 % share of a technology line is taken from the machinery rule it multiplies.`)});
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from support_rules where project_type = 'technology_line' and level = 'national';
    update projects set project_type = 'machinery_line' where project_type = 'technology_line';
    delete from codelist_entries where list = 'project_type' and code = 'technology_line';
    update codelist_entries set label_vi = 'Ứng dụng máy móc thiết bị, dây chuyền công nghệ',
        label_en = 'machinery or technology line'
      where list = 'project_type' and code = 'machinery_line';
  `.execute(db)
}
