"""Pull requests and CI: what changed since a base, and who may approve it.

- `check`: `diffuse check`, every change of state since a base ref;
- `affected`: which files a change can affect, so a check reads only those in full;
- `counted`: what a practice's rules read of a project file not read in full;
- `context`: what a check compares and what it found;
- `signoff`: who approved, verified from git; `covered`: what an approval covers;
- `codeowners`: `diffuse codeowners`, a CODEOWNERS file naming each file's approvers.
"""
