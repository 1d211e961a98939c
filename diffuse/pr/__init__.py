"""Pull requests and CI: changes since a base, verified sign-off, CODEOWNERS."""
