from letterboxd_stats.cli import app

app()
