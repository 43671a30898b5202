"""Stage 6: the build session that runs the stages above for every entry point."""
