"""What the tracker says on a date: the grid, forecasts, measures, SPC, reviews, scorecards."""
