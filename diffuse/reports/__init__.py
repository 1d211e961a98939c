"""What the tracker says on a date: the status grid (`status/`), measures, SPC, reviews,
scorecards, practice search (`practices`), a file's history (`history`) and `validate`'s
report (`problems`)."""
