"""Foundation any stage may use: settings (read once), pinned npm packages, local server and browser."""
