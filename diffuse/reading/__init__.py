"""Reading the tracker's files: each one read and hashed once in a run (`handover`)."""
