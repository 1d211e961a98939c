"""Diffusion frameworks shipped as workflow templates: phases, gates, roles and duties.

- `registry`: the frameworks `diffuse init --framework` ships, by name;
- `mayo` (the default), `ihi_spread`, `ihi_scale_up`, `his`: one module per framework;
- `shape`: a framework's workflow as plain data; `dissemination`: the evidence scan behind
  a practice's dissemination plan.
"""
