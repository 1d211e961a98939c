"""What the tracker says on a date, computed, never printed (printing is `render`'s):

- `status/`: the status grid, its health and forecasts (see its own docstring);
- `asof`: a project as it stood on an earlier day; `checklist`: a project's duties by role;
- `measures`: metric series and the chart that fits each; `spc`, `spclimits`, `periods`
  and `rmath`: the statistics behind the charts, as qicharts2 and R compute them;
- `trend`: the adoption curve; `portfolio`: the portfolio over time; `capacity`: what
  each site takes on at once; `scorecard`: sites side by side; `risks`: every open risk;
- `reviews`: practice reviews due and stale site rows; `remind` and `remindplan`: what
  each person has to do, and their reminder issues;
- `practices`: practice search; `history` and `snapshot`: the life of a file from git;
- `problems`: `validate`'s report; `schema`: JSON Schema of the files; `outputs`: JSON
  Schema of every `--format json` output.
"""
