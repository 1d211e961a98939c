"""Reports of problems, for people and CI: `check` (gates, sign-off, changes) and `validate`.

- `check`: what `diffuse check` found, as text, json, github, junit or markdown;
- `validate`: what `diffuse validate` found, in the same shapes, so one CI setup reads both.
"""
