"""An upload session: its summary, progress, library of films, and deletion."""
