// Periodic reporting (issue #16): the provinces' reporting duties to the ministry (Decree 45/2012
// Art. 16.1.i, TTLT 26/2014 Art. 9.3, TT 36/2013 Art. 21.5 and 23) as data.
//  - reporting_periods: national reference data — every month, quarter, half-year and year from 2021
//    with its start, end and due date. Everyone signed in reads them; only the ministry changes a
//    due date (the default: the 15th of the month after the period, the 5th for a month's progress).
//  - periodic_reports: a province's report for a period, one per reporting unit and period. Before
//    the merger (periods ending before 1 July 2025) the unit is a former province (origin_province_code),
//    after it the current province; `unit_code` names it either way. Written by the province; the
//    ministry acknowledges or returns it (its update is a workflow step, as for schemes).
//  - periodic_report_versions: each submission's content and frozen figures, with their hash; never
//    changed (no update grant).
//  - periodic_report_transitions: the workflow history, appended only.
//  - progress_reports: monthly progress of national (centrally funded) schemes (TT 36/2013 Art. 23),
//    written by whoever carries the scheme out (`reported_by`, kc_may_decide of migration 0062).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table reporting_periods (
      code text primary key,
      kind text not null check (kind in ('monthly', 'quarterly', 'half_year', 'annual')),
      year integer not null check (year between 2000 and 2100),
      starts_on date not null,
      ends_on date not null,
      due_date date not null,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      check (ends_on >= starts_on and due_date >= ends_on)
    );
    create index reporting_periods_year_idx on reporting_periods (year, kind, starts_on);

    insert into reporting_periods (code, kind, year, starts_on, ends_on, due_date)
    select p.code, p.kind, y, p.starts_on, p.ends_on,
      (date_trunc('month', p.ends_on) + interval '1 month')::date
        + case when p.kind = 'monthly' then 4 else 14 end
    from generate_series(2021, 2040) y
    cross join lateral (
      select y::text as code, 'annual' as kind, make_date(y, 1, 1) as starts_on, make_date(y, 12, 31) as ends_on
      union all
      select y || '-H' || h, 'half_year', make_date(y, h * 6 - 5, 1),
        (make_date(y, h * 6 - 5, 1) + interval '6 months' - interval '1 day')::date
      from generate_series(1, 2) h
      union all
      select y || '-Q' || q, 'quarterly', make_date(y, q * 3 - 2, 1),
        (make_date(y, q * 3 - 2, 1) + interval '3 months' - interval '1 day')::date
      from generate_series(1, 4) q
      union all
      select y || '-' || lpad(m::text, 2, '0'), 'monthly', make_date(y, m, 1),
        (make_date(y, m, 1) + interval '1 month' - interval '1 day')::date
      from generate_series(1, 12) m
    ) p;

    alter table reporting_periods enable row level security;
    alter table reporting_periods force row level security;
    create policy reporting_periods_read on reporting_periods for select using (true);
    create policy reporting_periods_update on reporting_periods for update
      using (kc_role() = 'ministry') with check (kc_role() = 'ministry');
    grant select, update on reporting_periods to kc_app;

    create table periodic_reports (
      id uuid primary key default gen_random_uuid(),
      province_code text not null references provinces (code),
      origin_province_code text references former_provinces (code),
      unit_code text generated always as (coalesce(origin_province_code, province_code)) stored,
      period_code text not null references reporting_periods (code),
      status text not null default 'draft'
        check (status in ('draft', 'submitted', 'returned', 'acknowledged')),
      results text,
      difficulties text,
      proposals text,
      figures jsonb not null,
      figures_as_of timestamptz not null default now(),
      content_hash text,
      submission integer not null default 0 check (submission >= 0),
      first_submitted_at timestamptz,
      submitted_at timestamptz,
      acknowledged_at timestamptz,
      returned_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (period_code, unit_code),
      unique (id, province_code)
    );
    create index periodic_reports_list_idx on periodic_reports (province_code, period_code desc, id desc);
    create index periodic_reports_period_idx on periodic_reports (period_code desc, id desc);

    create table periodic_report_versions (
      report_id uuid not null,
      province_code text not null,
      submission integer not null check (submission >= 1),
      period_code text not null,
      unit_code text not null,
      results text,
      difficulties text,
      proposals text,
      figures jsonb not null,
      content_hash text not null,
      submitted_by text not null,
      submitted_at timestamptz not null default now(),
      primary key (report_id, submission),
      foreign key (report_id, province_code) references periodic_reports (id, province_code)
    );

    create table periodic_report_transitions (
      seq bigint generated always as identity primary key,
      report_id uuid not null,
      province_code text not null,
      action text not null,
      from_status text not null,
      to_status text not null,
      comment text,
      submission integer,
      actor_sub text not null,
      actor_role text not null check (actor_role in ('ministry', 'province')),
      occurred_at timestamptz not null default now(),
      foreign key (report_id, province_code) references periodic_reports (id, province_code)
    );
    create index periodic_report_transitions_report_idx on periodic_report_transitions (report_id, seq);

    alter table periodic_reports enable row level security;
    alter table periodic_reports force row level security;
    create policy periodic_reports_read on periodic_reports for select using (kc_in_scope(province_code));
    create policy periodic_reports_insert on periodic_reports for insert
      with check (kc_may_decide('province', province_code));
    -- The ministry acknowledges or returns the reports it reads (a workflow step, application-checked).
    create policy periodic_reports_update on periodic_reports for update
      using (kc_in_scope(province_code)) with check (kc_in_scope(province_code));
    grant select, insert, update on periodic_reports to kc_app;

    alter table periodic_report_versions enable row level security;
    alter table periodic_report_versions force row level security;
    create policy periodic_report_versions_read on periodic_report_versions for select
      using (kc_in_scope(province_code));
    create policy periodic_report_versions_insert on periodic_report_versions for insert
      with check (kc_may_decide('province', province_code));
    grant select, insert on periodic_report_versions to kc_app;

    alter table periodic_report_transitions enable row level security;
    alter table periodic_report_transitions force row level security;
    create policy periodic_report_transitions_read on periodic_report_transitions for select
      using (kc_in_scope(province_code));
    create policy periodic_report_transitions_append on periodic_report_transitions for insert
      with check (kc_in_scope(province_code) and actor_role = kc_role());
    grant select, insert on periodic_report_transitions to kc_app;

    create table progress_reports (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null,
      province_code text not null,
      month text not null references reporting_periods (code),
      reported_by text not null default 'province' check (reported_by in ('ministry', 'province')),
      percent_done integer not null check (percent_done between 0 and 100),
      used_central bigint not null default 0 check (used_central >= 0),
      used_local bigint not null default 0 check (used_local >= 0),
      used_counterpart bigint not null default 0 check (used_counterpart >= 0),
      used_other bigint not null default 0 check (used_other >= 0),
      issues text,
      actor_sub text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (project_id, month),
      foreign key (project_id, province_code) references projects (id, province_code)
    );
    create index progress_reports_month_idx on progress_reports (month, project_id);

    alter table progress_reports enable row level security;
    alter table progress_reports force row level security;
    create policy progress_reports_read on progress_reports for select using (kc_in_scope(province_code));
    create policy progress_reports_insert on progress_reports for insert
      with check (kc_may_decide(reported_by, province_code));
    grant select, insert on progress_reports to kc_app;

    -- A database migrated before this one: the new code lists (a fresh one has them from 0001's data).
    insert into codelists (name, label_vi, label_en, description) values
      ('reporting_period_kind', 'Loại kỳ báo cáo', 'Kind of reporting period',
       'Decree 45/2012 Art. 16.1.i and TTLT 26/2014 Art. 9.3 (quarterly), TT 36/2013 Art. 21.5 (quarterly, '
       || 'six-month, annual) and Art. 23 (monthly progress of national schemes)'),
      ('periodic_report_status', 'Trạng thái báo cáo định kỳ', 'Periodic report status',
       'The workflow of a province''s periodic report: the province submits (and resubmits after a return), '
       || 'the ministry acknowledges or returns'),
      ('report_timeliness', 'Tính kịp thời của báo cáo', 'Timeliness of a report',
       'Against the period''s due date, on the day in Vietnam of the first submission: on time, late; overdue '
       || 'when not submitted and past due')
      on conflict do nothing;
    insert into codelist_entries (list, code, label_vi, label_en, parent_code, sort_order)
      select e.list, e.code, e.label_vi, e.label_en, null, (select max(sort_order) from codelist_entries) + e.n
      from (values
        (1, 'reporting_period_kind', 'monthly', 'Tháng', 'monthly (progress of national schemes)'),
        (2, 'reporting_period_kind', 'quarterly', 'Quý', 'quarterly'),
        (3, 'reporting_period_kind', 'half_year', '6 tháng', 'half-year'),
        (4, 'reporting_period_kind', 'annual', 'Năm', 'annual'),
        (5, 'periodic_report_status', 'draft', 'Dự thảo', 'draft'),
        (6, 'periodic_report_status', 'submitted', 'Đã gửi', 'submitted'),
        (7, 'periodic_report_status', 'returned', 'Trả lại để bổ sung', 'returned for completion'),
        (8, 'periodic_report_status', 'acknowledged', 'Bộ Công Thương đã ghi nhận', 'acknowledged by the ministry'),
        (9, 'report_timeliness', 'on_time', 'Đúng hạn', 'on time'),
        (10, 'report_timeliness', 'late', 'Nộp muộn', 'late'),
        (11, 'report_timeliness', 'overdue', 'Quá hạn chưa nộp', 'overdue')
      ) e (n, list, code, label_vi, label_en)
      on conflict do nothing;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from codelist_entries
      where list in ('reporting_period_kind', 'periodic_report_status', 'report_timeliness');
    delete from codelists where name in ('reporting_period_kind', 'periodic_report_status', 'report_timeliness');
    drop table progress_reports;
    drop table periodic_report_transitions;
    drop table periodic_report_versions;
    drop table periodic_reports;
    drop table reporting_periods;
  `.execute(db)
}
