"""Operating the stack: the command line, the process supervisor, and maintenance commands."""
