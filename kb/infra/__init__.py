"""Foundation any stage may use: settings (read once), pinned front-end files checked at use, local server and browser."""
