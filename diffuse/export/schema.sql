-- The diffuse export: one row per thing in the tracker files, as of one date.
-- Dates are ISO text (YYYY-MM-DD); flags are 0/1; a NULL site means "all sites".
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE practices (
  id TEXT PRIMARY KEY, title TEXT, summary TEXT, status TEXT, approving_body TEXT,
  owner TEXT, established TEXT, review_last TEXT, review_due TEXT,
  supersedes TEXT, superseded_by TEXT);
CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT, region TEXT, kind TEXT, position INTEGER);
-- The projects table is made from the status row's declaration (reports/status/row.py).
CREATE TABLE project_sites (
  project TEXT, site TEXT, status TEXT, health TEXT, recorded_health TEXT, adkar TEXT,
  go_live_planned TEXT, go_live_actual TEXT, leader TEXT, updated TEXT, note TEXT,
  barriers TEXT, pause_until TEXT, PRIMARY KEY (project, site));
CREATE TABLE duties (
  project TEXT, duty TEXT, role TEXT, due_phase TEXT, text TEXT, state TEXT,
  date TEXT, by TEXT, recorded_by TEXT, reason TEXT, PRIMARY KEY (project, duty));
CREATE TABLE risks (
  project TEXT, number INTEGER, category TEXT, standard_risk INTEGER, description TEXT,
  likelihood INTEGER, impact INTEGER, score INTEGER, owner TEXT, mitigation TEXT,
  status TEXT, PRIMARY KEY (project, number));
CREATE TABLE metric_values (
  project TEXT, metric TEXT, name TEXT, level TEXT, kind TEXT, unit TEXT, direction TEXT,
  baseline REAL, target REAL, site TEXT, date TEXT, value REAL, numerator REAL,
  denominator REAL, charted REAL, period TEXT, excluded TEXT);
CREATE TABLE approvals (
  item_kind TEXT, item TEXT, body TEXT, by TEXT, date TEXT, decision TEXT, gate TEXT,
  scope TEXT, reference TEXT, reason TEXT);
CREATE TABLE transitions (
  project TEXT, from_phase TEXT, to_phase TEXT, date TEXT, by TEXT, reason TEXT);
CREATE TABLE site_updates (project TEXT, date TEXT, site TEXT, by TEXT, text TEXT);
CREATE TABLE spc_points (
  project TEXT, metric TEXT, site TEXT, chart TEXT, part INTEGER, position INTEGER,
  date TEXT, value REAL, centre REAL, lcl REAL, ucl REAL, excluded INTEGER,
  baseline INTEGER, outside_limits INTEGER);
CREATE TABLE spc_parts (
  project TEXT, metric TEXT, site TEXT, chart TEXT, part INTEGER, centre REAL,
  useful_points INTEGER, longest_run INTEGER, longest_run_max INTEGER,
  crossings INTEGER, crossings_min INTEGER, runs_signal INTEGER);
CREATE VIEW grid AS
  SELECT p.id AS project, p.practice, p.phase, p.health AS project_health, s.region,
         ps.site, ps.status, ps.health
  FROM projects p JOIN project_sites ps ON ps.project = p.id JOIN sites s ON s.id = ps.site
  WHERE p.active = 1 ORDER BY p.id, s.position;
CREATE VIEW spc_results AS
  SELECT project, metric, site, chart, COUNT(*) AS parts, SUM(useful_points) AS useful_points,
         MAX(runs_signal) AS runs_signal,
         (SELECT COUNT(*) FROM spc_points q WHERE q.project = r.project
            AND q.metric = r.metric AND q.site IS r.site AND q.outside_limits = 1)
           AS points_outside_limits
  FROM spc_parts r GROUP BY project, metric, site, chart;
