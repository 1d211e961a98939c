"""The tracker in memory and its rules: cross-file references, gates, lifecycle, validation.

- `tracker`: the tracker in memory (its type, its reading, its refusals); `load`: reading
  it for a command; `parallel`: reading a big tracker in two processes.
- Gates: `conditions` (what a gate asks for), `gates` (judging it on a day), `scope`
  (which sites a project must reach), `following` (the status a practice's projects give
  it).
- Rules `validate` applies: `validation` (all of them, in one report), `references`
  (ids across files), `chrono` (dates in order and in range), `invariants` (what every
  tracker keeps at any moment), `lifecycle` (a practice's status moves); `usages`: where a
  person or site is named, for `org remove-person` and `org rename-site`.
"""
