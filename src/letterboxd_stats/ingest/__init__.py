"""Import of a Letterboxd export: parse (pure) -> build the library (pure) -> store."""
