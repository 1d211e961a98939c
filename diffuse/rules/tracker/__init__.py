"""The tracker in memory (`model`), how it is read (`reading`) and what is refused
before it is read (`refusals`)."""
