"""The shell of the site: base layout, home, sign-in pages, health check, static assets."""
