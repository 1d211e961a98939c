"""Every cache, in the user's cache folder, and the rules that say when a kept result holds.

- `folder`: where the caches live, sealed writes and the code's fingerprint;
- `perfile`: each project file's validated result, keyed by its bytes;
- `results`: whole `status` and `validate` results, keyed by the tracker's files;
- `history`: the events `diffuse history` found between two versions of a file;
- `days`: on which days a result checked against one day still holds; `spans`: the
  earliest and latest date of a file, which `days` is given.

Set DIFFUSE_NO_CACHE=1 to bypass them all.
"""
