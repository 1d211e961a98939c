"""Everything the user reads, one module for each thing it renders:

- `colour`: the symbols of statuses and health, and whether to colour;
- `formats`: the status grid's labels and legend, and the grid as JSON, CSV and Markdown;
  `terminal` and `compact` draw it on a terminal; `plaintable` holds its layout and writes
  it as plain text without Rich where Rich would write plain text; `tableout` picks which;
- `gates`: gate reports for `advance`;
- `findings/`: reports of problems for `validate` and `check`;
- `show`, `lists`, `measures`, `charts`, `capacity`, `portfolio`, `remind`, `trend`:
  one view each; `plain` and `csvtext`: text shared by the views; `progressbar`: the
  progress bar of long work; `html/`: the static site and board pack of `report`.

Rich is imported only in this package, and only by the views that draw with it
(`render.terminal` and the views built on it); the plain-text views load none of it, so
`validate` and `check` start fast, and so does `status` piped or saved to a file. Text
from YAML files is always passed as `rich.text.Text` (never parsed as markup) after
control characters are made visible (`escape.clean`).
"""
