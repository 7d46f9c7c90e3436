// Name search of establishments that uses its trigram index under row-level security.
//
// Why a SECURITY DEFINER function: requests run as kc_app under the policy
// kc_in_scope(province_code). LIKE is not LEAKPROOF, so PostgreSQL must apply the policy before
// it, and then it cannot use the GIN trigram index for it: the ministry's search read the whole
// million-row table (2.5–3 s), a province's every row of the province. kc_establishment_search()
// runs as the table's owner, so RLS does not stand in the way of the index, and applies the
// caller's scope itself from the very settings the policy reads (kc_role(), kc_province()): the
// ministry every province, a province its own, no role nothing. It answers ids and ranks only;
// the route joins establishments by id as kc_app, so the policy and the application's inScope()
// still filter every row it returns (tenancy stays enforced twice).
//
// If the owner of establishments is not a superuser (nor BYPASSRLS), `force row level security`
// applies the policy inside the function as well: the answers stay correct — the same settings,
// the same scope — but the search is as slow as without the function.
//
// Matching: every word of the query must occur in the folded name (any order, partial words),
// each word a LIKE served by the index, so that a common trigram cannot flood the candidates.
// Rank: the whole name (4), the phrase as whole words (3), the phrase at the start of a word (2),
// the phrase anywhere (1), the words apart (0), plus 1 / (1 + the name's length), so that within a
// tier a shorter name — one the query is more of — comes first; the caller breaks ties by id. (The
// length, not similarity(): every ranked name holds the query's words, so the two order alike, and
// similarity() of 100,000 names for a one-word query costs more than finding them.)
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The LIKE patterns of a query: one "contains" pattern per folded word (backslash, % and _ escaped).
    create function kc_search_patterns(q text) returns text[]
      language sql immutable strict parallel safe
      return (select coalesce(array_agg('%' || replace(replace(replace(w, chr(92), chr(92) || chr(92)),
                                                   '%', chr(92) || '%'), '_', chr(92) || '_') || '%'), '{}')
              from regexp_split_to_table(kc_fold(q), '[[:space:]]+') w where w <> '');
    grant execute on function kc_search_patterns(text) to kc_app;

    create function kc_establishment_search(q text)
      returns table (establishment_id uuid, rank real)
      language plpgsql stable security definer set search_path = public
    as $$
    declare
      phrase text := array_to_string(regexp_split_to_array(trim(kc_fold(q)), '[[:space:]]+'), ' ');
      patterns text[] := kc_search_patterns(q);
      scope text;
    begin
      case kc_role()
        when 'ministry' then scope := 'true';
        when 'province' then scope := 'e.province_code = $3';
        else return;
      end case;
      if cardinality(patterns) = 0 then
        return;
      end if;
      -- Dynamic, so that each word is its own indexable LIKE and the plan sees the actual patterns.
      return query execute format(
        $q$select e.id, (case
             when e.search_name = $1 then 4
             when strpos(' ' || e.search_name || ' ', ' ' || $1 || ' ') > 0 then 3
             when strpos(' ' || e.search_name, ' ' || $1) > 0 then 2
             when strpos(e.search_name, $1) > 0 then 1
             else 0 end + 1.0 / (1 + length(e.search_name)))::real
           from establishments e where %s and %s$q$,
        scope,
        (select string_agg(format('e.search_name like $2[%s]', i), ' and ')
           from generate_subscripts(patterns, 1) i))
        using phrase, patterns, kc_province();
    end $$;
    revoke all on function kc_establishment_search(text) from public;
    grant execute on function kc_establishment_search(text) to kc_app;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function kc_establishment_search(text);
    drop function kc_search_patterns(text);
  `.execute(db)
}
