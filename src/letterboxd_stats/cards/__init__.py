"""Share cards: PNG images of a library's year (or all time) to post, in the Open Graph size
and the phone-story size, with the films' TMDB posters (kept on disk)."""
