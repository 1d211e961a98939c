"""Every command that changes a file: phases, sites, approvals, metric imports, scaffolds.

Every edit goes through `editing` (surgical, validated, atomic, under a lock) with the
options `record` shares (--dry-run, --commit, --by, --date) and the person `identity`
names. By command:

- `advance`: `diffuse advance`; `approve`: `diffuse approve`;
- `site`: `diffuse site`; `checklist`: `duty`, `role` and `risk`; `customduty`: a
  project's own duty; `plan`: `project`, `metrics add`, `metrics note`, `disseminate`;
- `practice`: `diffuse practice`; `organisation`: `diffuse org ...`;
- `csvimport`: `metrics import`; `intake`: `diffuse intake` from an issue form;
- `scaffold`: `init` and `new`; `newrepo`: what `init` adds for pull requests;
  `issueforms`: the issue forms `init` writes; `pins`: the diffuse and actions they name.
"""
