"""Stage 1: content files read safely and validated into typed records (French problems, never an exception)."""
