"""Every command that changes a file: phases, sites, approvals, metric imports, scaffolds."""
