"""Fixed TMDB reference data: genre ids, language names, the /configuration body."""

from __future__ import annotations

from typing import Any

#: TMDB's movie genre ids (plus the retired "Foreign", which the 2016-era data still uses).
GENRE_IDS: dict[str, int] = {
    "Action": 28,
    "Adventure": 12,
    "Animation": 16,
    "Comedy": 35,
    "Crime": 80,
    "Documentary": 99,
    "Drama": 18,
    "Family": 10751,
    "Fantasy": 14,
    "Foreign": 10769,
    "History": 36,
    "Horror": 27,
    "Music": 10402,
    "Mystery": 9648,
    "Romance": 10749,
    "Science Fiction": 878,
    "TV Movie": 10770,
    "Thriller": 53,
    "War": 10752,
    "Western": 37,
}

#: TMDB's TV genre ids (TV has genres of its own: "Sci-Fi & Fantasy", "War & Politics"...).
TV_GENRE_IDS: dict[str, int] = {
    "Action & Adventure": 10759, "Animation": 16, "Comedy": 35, "Crime": 80,
    "Documentary": 99, "Drama": 18, "Family": 10751, "Kids": 10762, "Mystery": 9648,
    "News": 10763, "Reality": 10764, "Sci-Fi & Fantasy": 10765, "Soap": 10766,
    "Talk": 10767, "War & Politics": 10768, "Western": 37,
}  # fmt: skip

#: English names of the ISO 639-1 codes TMDB uses (its `english_name`).
LANGUAGE_NAMES: dict[str, str] = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "bg": "Bulgarian", "bm": "Bambara",
    "bn": "Bengali", "bo": "Tibetan", "br": "Breton", "bs": "Bosnian", "ca": "Catalan",
    "ce": "Chechen", "cn": "Cantonese", "co": "Corsican", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gd": "Gaelic", "gl": "Galician", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "iu": "Inuktitut", "ja": "Japanese", "ka": "Georgian",
    "kk": "Kazakh", "km": "Khmer", "ko": "Korean", "ku": "Kurdish", "kw": "Cornish",
    "ky": "Kirghiz", "la": "Latin", "mi": "Maori", "ml": "Malayalam", "mn": "Mongolian",
    "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "nv": "Navajo",
    "ny": "Chichewa; Nyanja", "pa": "Punjabi", "pl": "Polish", "ps": "Pushto",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sa": "Sanskrit",
    "sh": "Serbo-Croatian", "si": "Sinhalese", "sk": "Slovak", "sl": "Slovenian",
    "so": "Somali", "sq": "Albanian", "sr": "Serbian", "st": "Sotho", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
    "to": "Tonga", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "wo": "Wolof", "xh": "Xhosa", "xx": "No Language", "yi": "Yiddish", "zh": "Mandarin",
    "zu": "Zulu",
}  # fmt: skip

CONFIGURATION: dict[str, Any] = {
    "images": {
        "base_url": "http://image.tmdb.org/t/p/",
        "secure_base_url": "https://image.tmdb.org/t/p/",
        "backdrop_sizes": ["w300", "w780", "w1280", "original"],
        "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
        "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
        "profile_sizes": ["w45", "w185", "h632", "original"],
        "still_sizes": ["w92", "w185", "w300", "original"],
    },
    "change_keys": [
        "adult", "air_date", "also_known_as", "alternative_titles", "biography", "birthday",
        "budget", "cast", "certifications", "character_names", "created_by", "crew",
        "deathday", "episode", "episode_number", "episode_run_time", "freebase_id",
        "freebase_mid", "general", "genres", "guest_stars", "homepage", "images", "imdb_id",
        "languages", "name", "network", "origin_country", "original_name", "original_title",
        "overview", "parts", "place_of_birth", "plot_keywords", "production_code",
        "production_companies", "production_countries", "releases", "revenue", "runtime",
        "season", "season_number", "season_regular", "spoken_languages", "status", "tagline",
        "title", "translations", "tvdb_id", "tvrage_id", "type", "video", "videos",
    ],
}  # fmt: skip

#: Names of common production countries (TMDB's `production_countries[].name`).
COUNTRY_NAMES: dict[str, str] = {
    "AR": "Argentina", "AU": "Australia", "AT": "Austria", "BE": "Belgium", "BR": "Brazil",
    "CA": "Canada", "CH": "Switzerland", "CN": "China", "CZ": "Czech Republic",
    "DE": "Germany", "DK": "Denmark", "ES": "Spain", "FI": "Finland", "FR": "France",
    "GB": "United Kingdom", "HK": "Hong Kong", "IE": "Ireland", "IN": "India", "IR": "Iran",
    "IT": "Italy", "JP": "Japan", "KR": "South Korea", "MX": "Mexico", "NL": "Netherlands",
    "NO": "Norway", "NZ": "New Zealand", "PL": "Poland", "RU": "Russia", "SE": "Sweden",
    "TW": "Taiwan", "US": "United States of America", "ZA": "South Africa",
}  # fmt: skip

#: Where films in a language usually come from, most likely first (for `origin_country`).
LANGUAGE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "CA", "AU", "IE", "NZ", "ZA"), "fr": ("FR", "BE", "CA", "CH"),
    "de": ("DE", "AT", "CH"), "es": ("ES", "MX", "AR"), "it": ("IT",), "ja": ("JP",),
    "ko": ("KR",), "zh": ("CN", "TW", "HK"), "cn": ("HK", "CN"), "hi": ("IN",),
    "ru": ("RU",), "sv": ("SE",), "da": ("DK",), "no": ("NO",), "nb": ("NO",),
    "pt": ("BR", "PT"), "nl": ("NL", "BE"), "fi": ("FI",), "pl": ("PL",), "cs": ("CZ",),
    "fa": ("IR",),
}  # fmt: skip


def origin_country(original_language: str, countries: list[str]) -> list[str]:
    """TMDB's `origin_country`, guessed: the production country matching the language."""
    for candidate in LANGUAGE_COUNTRIES.get(original_language, ()):
        if candidate in countries:
            return [candidate]
    return countries[:1]
