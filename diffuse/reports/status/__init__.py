"""The status grid: one row per project, one cell per site, with its health and forecast.

- `grid`: the plain values (Cell, Row, Grid, Filters); `row`: a row's fields declared
  once, from which its JSON, schema, cache, SQLite, CSV and Markdown forms come;
- `build`: rows and grids from the tracker in memory;
- `cells`: each site's cell of a row; `health`: every rule that decides a row's or a
  cell's health;
- `forecast`: when a project will be live at every site;
- `jsonform`: the grid as JSON; `pack`: the grid as the result cache keeps it;
- `source`: the grid from the cache, or computed; `streamed`: rows made while the tracker
  is read;
- `report`: what `diffuse status` and `diffuse show` report.
"""
