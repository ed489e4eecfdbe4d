"""Completion: how much of a collection (franchise), of a director's or an actor's films and of
the user's own lists the library holds, and what is missing."""
