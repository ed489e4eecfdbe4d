"""A hand-built export of 30 films, enriched through the app against the TMDB stand-in (run
in-process with a catalogue of these films only), has its statistics asserted value by value,
all time and for 2024. Every expected value is worked out by hand in the comments.

The films (library order = watched.csv order):
- A1..A10 "Aardvark"… (2023): runtime 100+i, popularity i, TMDB 7.0 (100 votes), Drama+Crime,
  US, en, Studio A, keyword heist, director Ann Director, cast Actor A1..A6; rated 4★;
  viewed 2024-01-0i / 2024-01-10.
- B1..B10 "Baboon"… (1995): runtime 92, popularity 20+i, TMDB 6.0 (50 votes), Comedy, FR, fr,
  Studio B, paris, Bob Director, cast Actor B1, Actor A1; B1-B5 rated 3★ and viewed on
  2023-03-01, 02, 03, 04, 04; B6-B10 unrated, never in the diary (watched only).
- C1..C8 "Camel"… (1970): runtime 80+2i, popularity 30+i, TMDB 7.0 with 5 votes (C1-C4) or
  20 votes (C5-C8), Horror+Drama, JP, ja, Studio C, ghost, Cy Director, cast Actor C1;
  C1-C4 rated 5★, C5-C8 1★; C1 viewed 2024-02-01, 02-02 (rewatch), 12-30 (rewatch),
  C2..C8 on 2024-02-03..09.
- D1 "Nonexistent Zebu" (2001, rated 2.5★, viewed 2022-07-15) and D2 "Nonexistent Yak"
  (2002): not in the catalogue, so unmatched.
Likes: A1, B1, C1. Reviews: A1 (watched 2024-01-01), B1 (2023-03-01). One list of two films.
Watchlist: Dingo (2010, Drama, 100 min, added 2023-05-01), Dolphin (2011, Drama+Comedy,
110 min, added 2022-01-01), Nonexistent Wombat (2012, added 2024-01-01).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from standin.films import named
from standin.payloads import person_id
from standin.reference import GENRE_IDS
from standin.text import fake_path

from standin import StandinConfig, create_standin_app
from tests.fixtures.apps import AppFactory
from tests.fixtures.exports import (
    DIARY,
    FILM,
    RATINGS,
    REVIEWS,
    csv_text,
    list_csv,
    make_zip,
    multipart,
)
from tests.fixtures.uploads import wait_completed

KEY = "stats-key"
A = ["Aardvark", "Albatross", "Alligator", "Alpaca", "Anaconda"]
A += ["Antelope", "Armadillo", "Axolotl", "Avocet", "Anteater"]
B = ["Baboon", "Badger", "Barracuda", "Beaver", "Bison"]
B += ["Bobcat", "Buffalo", "Bumblebee", "Butterfly", "Buzzard"]
C = ["Camel", "Caribou", "Cheetah", "Chinchilla", "Cobra", "Condor", "Coyote", "Crocodile"]


def _catalogue() -> list[dict[str, Any]]:
    films: list[dict[str, Any]] = []
    for i, title in enumerate(A, 1):
        films.append(
            {
                "id": 100 + i,
                "title": title,
                "release_date": f"2023-06-{i:02d}",
                "runtime": 100 + i,
                "popularity": float(i),
                "vote_average": 7.0,
                "vote_count": 100,
                "genres": ["Drama", "Crime"],
                "production_countries": ["US"],
                "spoken_languages": ["en"],
                "original_language": "en",
                "production_companies": ["Studio A"],
                "keywords": ["heist"],
                "directors": ["Ann Director"],
                "cast": [f"Actor A{n}" for n in range(1, 7)],
            }
        )
    for i, title in enumerate(B, 1):
        films.append(
            {
                "id": 110 + i,
                "title": title,
                "release_date": f"1995-03-{i:02d}",
                "runtime": 92,
                "popularity": 20.0 + i,
                "vote_average": 6.0,
                "vote_count": 50,
                "genres": ["Comedy"],
                "production_countries": ["FR"],
                "spoken_languages": ["fr"],
                "original_language": "fr",
                "production_companies": ["Studio B"],
                "keywords": ["paris"],
                "directors": ["Bob Director"],
                "cast": ["Actor B1", "Actor A1"],
            }
        )
    for i, title in enumerate(C, 1):
        films.append(
            {
                "id": 120 + i,
                "title": title,
                "release_date": f"1970-01-{i:02d}",
                "runtime": 80 + 2 * i,
                "popularity": 30.0 + i,
                "vote_average": 7.0,
                "vote_count": 5 if i <= 4 else 20,
                "genres": ["Horror", "Drama"],
                "production_countries": ["JP"],
                "spoken_languages": ["ja"],
                "original_language": "ja",
                "production_companies": ["Studio C"],
                "keywords": ["ghost"],
                "directors": ["Cy Director"],
                "cast": ["Actor C1"],
            }
        )
    films.append({"id": 201, "title": "Dingo", "year": 2010, "runtime": 100, "genres": ["Drama"]})
    films.append(
        {
            "id": 202,
            "title": "Dolphin",
            "year": 2011,
            "runtime": 110,
            "genres": ["Drama", "Comedy"],
        }
    )
    return films


def _library() -> list[tuple[str, int]]:
    return (
        [(t, 2023) for t in A]
        + [(t, 1995) for t in B]
        + [(t, 1970) for t in C]
        + [("Nonexistent Zebu", 2001), ("Nonexistent Yak", 2002)]
    )


def _export() -> bytes:
    library = _library()
    uri = {title: f"https://boxd.it/f{n}" for n, (title, _) in enumerate(library, 1)}
    ratings = dict.fromkeys(A, "4") | dict.fromkeys(B[:5], "3") | dict.fromkeys(C[:4], "5")
    ratings |= dict.fromkeys(C[4:], "1") | {"Nonexistent Zebu": "2.5"}
    year = dict(library)
    diary = [(t, f"2024-01-{i:02d}", False) for i, t in enumerate(A, 1)]
    b_days = ["01", "02", "03", "04", "04"]  # B4 and B5 on the same day
    diary += [(t, f"2023-03-{d}", False) for t, d in zip(B[:5], b_days, strict=True)]
    diary += [("Camel", "2024-02-01", False), ("Camel", "2024-02-02", True)]
    diary += [(t, f"2024-02-{i + 1:02d}", False) for i, t in enumerate(C[1:], 2)]
    diary += [("Camel", "2024-12-30", True), ("Nonexistent Zebu", "2022-07-15", False)]
    files = {
        "watched.csv": csv_text(FILM, [f"2024-01-01,{t},{y},{uri[t]}" for t, y in library]),
        "ratings.csv": csv_text(
            RATINGS, [f"2024-01-01,{t},{year[t]},{uri[t]},{r}" for t, r in ratings.items()]
        ),
        "diary.csv": csv_text(
            DIARY,
            [
                f"{d},{t},{year[t]},https://boxd.it/e{n},,{'Yes' if rewatch else ''},,{d}"
                for n, (t, d, rewatch) in enumerate(diary, 1)
            ],
        ),
        "reviews.csv": csv_text(
            REVIEWS,
            [
                "2024-01-01,Aardvark,2023,https://boxd.it/e1,4,,Good,,2024-01-01",
                "2023-03-01,Baboon,1995,https://boxd.it/e11,3,,Fine,,2023-03-01",
            ],
        ),
        "likes/films.csv": csv_text(
            FILM, [f"2024-01-01,{t},{year[t]},{uri[t]}" for t in ("Aardvark", "Baboon", "Camel")]
        ),
        "watchlist.csv": csv_text(
            FILM,
            [
                "2023-05-01,Dingo,2010,https://boxd.it/w1",
                "2022-01-01,Dolphin,2011,https://boxd.it/w2",
                "2024-01-01,Nonexistent Wombat,2012,https://boxd.it/w3",
            ],
        ),
        "lists/faves.csv": list_csv(
            "Faves", [f"1,Aardvark,2023,{uri['Aardvark']},", f"2,Baboon,1995,{uri['Baboon']},"]
        ),
    }
    return make_zip(files)


async def _enriched_session(make_client: AppFactory) -> tuple[httpx.AsyncClient, str]:
    standin = create_standin_app(
        StandinConfig(
            api_key=KEY,
            data_dir=Path("/nonexistent"),
            extra_films=_catalogue(),
            rate_limit=0,
            max_connections=0,
        )
    )
    client: Any = await make_client(
        tmdb_transport=httpx.ASGITransport(app=standin),
        tmdb_api_key=KEY,
        tmdb_base_url="http://standin/3",
        tmdb_rate_limit=1000.0,  # the stand-in has no limit: nor need the app keep TMDB's
        tmdb_backoff_seconds=0,
        enrich_write_interval_seconds=0.05,
    )
    upload = await client.post("/api/upload", files=multipart(("export.zip", _export())))
    assert upload.status_code == 202, upload.text
    session_id: str = upload.json()["session_id"]
    status = await wait_completed(client, session_id)
    assert status["status"] == "completed", status
    await client.app.state.runner.wait_idle()  # the watchlist is enriched after completion
    return client, session_id


def _rows(items: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(item[k] for k in keys) for item in items]


def _names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def _film(no: int, title: str, year: int, tmdb_id: int | None, rating: float | None) -> Any:
    return {
        "film_id": no,
        "title": title,
        "year": year,
        "tmdb_id": tmdb_id,
        "poster_path": fake_path("poster", tmdb_id) if tmdb_id else None,
        "rating": rating,
    }


A1 = _film(1, "Aardvark", 2023, 101, 4.0)
A4 = _film(4, "Alpaca", 2023, 104, 4.0)
A10 = _film(10, "Anteater", 2023, 110, 4.0)
B1 = _film(11, "Baboon", 1995, 111, 3.0)
B4 = _film(14, "Beaver", 1995, 114, 3.0)
B5 = _film(15, "Bison", 1995, 115, 3.0)
C1 = _film(21, "Camel", 1970, 121, 5.0)
C8 = _film(28, "Crocodile", 1970, 128, 1.0)
D1 = _film(29, "Nonexistent Zebu", 2001, None, 2.5)


def _person(name: str, films: int, rated: int, mean: float | None) -> dict[str, Any]:
    return {
        "person_id": person_id(name),
        "name": name,
        "profile_path": fake_path("profile", name),
        "films": films,
        "rated": rated,
        "mean_rating": mean,
    }


def _ranked(key: object, name: str, films: int, rated: int, mean: float | None) -> Any:
    return {"key": str(key), "name": name, "films": films, "rated": rated, "mean_rating": mean}


def _keyword(name: str) -> int:
    return named("keyword", name)[0]


def _studio(name: str) -> int:
    return named("company", name)[0]


EMPTY_ROLE = {"based_on": 28, "total": 0, "most_watched": [], "highest_rated": []}


async def test_all_time_and_2024(make_client: AppFactory) -> None:
    client, session_id = await _enriched_session(make_client)
    response = await client.get(f"/api/session/{session_id}/stats")
    assert response.status_code == 200, response.text
    _assert_all_time(response.json())
    response = await client.get(f"/api/session/{session_id}/stats?year=2024")
    assert response.status_code == 200, response.text
    _assert_2024(response.json())
    empty = (await client.get(f"/api/session/{session_id}/stats?year=2000")).json()
    assert (empty["totals"]["films"], empty["totals"]["viewings"]) == (0, 0)
    assert empty["genres"]["based_on"] == 0
    assert empty["people"]["directors"]["most_watched"] == []
    assert empty["diary"]["releases"] == {"this_year": 0, "older": 0, "other": 0}
    assert empty["watchlist_and_lists"]["watchlist"]["size"] == 3  # never year-scoped


def _assert_all_time(s: dict[str, Any]) -> None:
    assert s["year"] is None
    # hours: A 1055 + B 10 x 92 (B6-B10 have no diary entry: once) + C1 82 x 3 + C2-C8 630
    # = 2851 min = 47.5 h; D1 and D2 have no TMDB data.
    assert s["totals"] == {
        "films": 30,
        "viewings": 26,
        "hours": 47.5,
        "hours_based_on": 28,
        "directors": 3,
        "actors": 7,  # A1-A5 (A6 is billed sixth), B1, C1
        "countries": 3,
        "languages": 3,
        "tmdb_based_on": 28,
        "ratings": 24,
        "reviews": 2,
        "likes": 3,
        "lists": 1,
        "watchlist": 3,
        "watchlist_hours": 3.5,  # (100 + 110) / 60
        "watchlist_based_on": 2,
    }
    ry = s["release_years"]
    assert ry["based_on"] == 30
    assert _rows(ry["by_year"], "year", "films", "rated", "mean_rating") == [
        (1970, 8, 8, 3.0),  # (4 x 5 + 4 x 1) / 8
        (1995, 10, 5, 3.0),
        (2001, 1, 1, 2.5),
        (2002, 1, 0, None),
        (2023, 10, 10, 4.0),
    ]
    assert _rows(ry["by_decade"], "decade", "films", "rated", "mean_rating") == [
        (1970, 8, 8, 3.0),
        (1990, 10, 5, 3.0),
        (2000, 2, 1, 2.5),
        (2020, 10, 10, 4.0),
    ]
    # 1970s before 1990s: same mean, more rated films; the 2000s have one rated film only
    assert [d["decade"] for d in ry["highest_rated_decades"]] == [2020, 1970, 1990]

    drama = _ranked(GENRE_IDS["Drama"], "Drama", 18, 18, 3.56)  # (10 x 8 + 48) / 18 / 2
    crime = _ranked(GENRE_IDS["Crime"], "Crime", 10, 10, 4.0)
    comedy = _ranked(GENRE_IDS["Comedy"], "Comedy", 10, 5, 3.0)
    horror = _ranked(GENRE_IDS["Horror"], "Horror", 8, 8, 3.0)
    assert s["genres"] == {
        "based_on": 28,
        "total": 4,
        "most_watched": [drama, comedy, crime, horror],
        "highest_rated": [crime, drama, horror, comedy],
    }
    us = _ranked("US", "United States of America", 10, 10, 4.0)
    fr = _ranked("FR", "France", 10, 5, 3.0)
    jp = _ranked("JP", "Japan", 8, 8, 3.0)
    assert s["countries"] == {
        "based_on": 28,
        "total": 3,
        "most_watched": [fr, us, jp],
        "highest_rated": [us, jp, fr],
    }
    en = _ranked("en", "English", 10, 10, 4.0)
    fr_lang = _ranked("fr", "French", 10, 5, 3.0)
    ja = _ranked("ja", "Japanese", 8, 8, 3.0)
    assert s["languages"]["most_watched"] == [en, fr_lang, ja]
    assert s["languages"]["highest_rated"] == [en, ja, fr_lang]
    studio_a = _ranked(_studio("Studio A"), "Studio A", 10, 10, 4.0)
    studio_b = _ranked(_studio("Studio B"), "Studio B", 10, 5, 3.0)
    studio_c = _ranked(_studio("Studio C"), "Studio C", 8, 8, 3.0)
    assert s["studios"]["most_watched"] == [studio_a, studio_b, studio_c]
    assert s["studios"]["highest_rated"] == [studio_a, studio_c, studio_b]
    heist = _ranked(_keyword("heist"), "heist", 10, 10, 4.0)
    paris = _ranked(_keyword("paris"), "paris", 10, 5, 3.0)
    ghost = _ranked(_keyword("ghost"), "ghost", 8, 8, 3.0)
    assert s["keywords"]["most_watched"] == [heist, paris, ghost]
    assert s["keywords"]["highest_rated"] == [heist, ghost, paris]

    people = s["people"]
    ann = _person("Ann Director", 10, 10, 4.0)
    bob = _person("Bob Director", 10, 5, 3.0)
    cy = _person("Cy Director", 8, 8, 3.0)
    assert people["directors"] == {
        "based_on": 28,
        "total": 3,
        "most_watched": [ann, bob, cy],
        "highest_rated": [ann, cy, bob],
    }
    a1 = _person("Actor A1", 20, 15, 3.67)  # (10 x 8 + 5 x 6) / 15 / 2
    a2_a5 = [_person(f"Actor A{n}", 10, 10, 4.0) for n in range(2, 6)]
    b1 = _person("Actor B1", 10, 5, 3.0)
    c1 = _person("Actor C1", 8, 8, 3.0)
    assert people["actors"] == {
        "based_on": 28,
        "total": 7,
        "most_watched": [a1, *a2_a5, b1, c1],
        "highest_rated": [*a2_a5, a1, c1, b1],
    }
    for role in ("writers", "composers", "cinematographers", "editors", "producers"):
        assert people[role] == EMPTY_ROLE  # the stand-in credits directors only

    ratings = s["ratings"]
    assert (ratings["rated"], ratings["unrated"]) == (24, 6)
    # half stars: 4 x 2 + 1 x 5 + 5 x 6 + 10 x 8 + 4 x 10 = 163 over 24 -> 3.396 stars;
    # sorted, the 12th and 13th are both 4 stars
    assert (ratings["mean"], ratings["median"]) == (3.4, 4.0)
    assert [b["films"] for b in ratings["spread"]] == [0, 4, 0, 0, 1, 5, 0, 10, 0, 4]
    versus = ratings["versus_tmdb"]
    # A 10 x (+0.5), B1-B5 5 x 0, C5-C8 4 x (-2.5); C1-C4 have 5 votes: left out
    assert versus["based_on"] == 19
    assert versus["mean_difference"] == -0.26  # -5 / 19
    assert [(c["film_id"], c["tmdb_rating"], c["difference"]) for c in versus["rated_higher"]] == [
        (n, 3.5, 0.5) for n in range(1, 11)
    ]
    assert [(c["film_id"], c["tmdb_rating"], c["difference"]) for c in versus["rated_lower"]] == [
        (n, 3.5, -2.5) for n in range(25, 29)
    ]

    diary = s["diary"]
    assert diary["viewings"] == 26
    months = {m["period"]: m["viewings"] for m in diary["by_month"]}
    assert len(months) == 30  # 2022-07 … 2024-12
    assert {k: v for k, v in months.items() if v} == {
        "2022-07": 1,
        "2023-03": 5,
        "2024-01": 10,
        "2024-02": 9,
        "2024-12": 1,
    }
    weeks = {w["period"]: w["viewings"] for w in diary["by_week"]}
    assert len(weeks) == 130  # Monday 2022-07-11 … Monday 2024-12-30
    assert {k: v for k, v in weeks.items() if v} == {
        "2022-W28": 1,
        "2023-W09": 5,  # Wed 1 … Sat 4 March 2023
        "2024-W01": 7,
        "2024-W02": 3,
        "2024-W05": 4,  # Thu 1 … Sun 4 February
        "2024-W06": 5,
        "2025-W01": 1,  # Monday 30 December 2024
    }
    assert [d["viewings"] for d in diary["by_weekday"]] == [4, 3, 4, 4, 5, 4, 2]
    assert diary["average_per_month"] == 0.87  # 26 / 30
    assert diary["average_per_week"] == 0.2  # 26 / 130
    assert diary["longest_streak"] == {"days": 10, "start": "2024-01-01", "end": "2024-01-10"}
    assert diary["days_with_two_or_more"] == 1
    assert diary["busiest_day"] == {"date": "2023-03-04", "viewings": 2, "films": [B4, B5]}
    assert (diary["first_watches"], diary["rewatches"]) == (24, 2)
    assert diary["most_viewed"] == [C1 | {"value": 3.0}]
    assert diary["releases"] is None
    assert diary["milestones"] == [
        {"number": 1, "label": "first", "date": "2022-07-15", "film": D1},
        {"number": 10, "label": "10th", "date": "2024-01-04", "film": A4},  # D1, B1-B5, A1-A4
        {"number": 26, "label": "last", "date": "2024-12-30", "film": C1},
    ]

    assert s["highs_and_lows"] == {
        "based_on": 28,
        "longest": A10 | {"value": 110.0},
        "shortest": C1 | {"value": 82.0},
        "most_popular": C8 | {"value": 38.0},
        "least_popular": A1 | {"value": 1.0},
        "oldest": C1 | {"value": "1970-01-01"},
        "newest": A10 | {"value": "2023-06-10"},
        "highest_tmdb_rated": A1 | {"value": 3.5},  # first of the 3.5s in library order
        "lowest_tmdb_rated": B1 | {"value": 3.0},
    }
    assert s["watchlist_and_lists"] == {
        "watchlist": {
            "size": 3,
            "based_on": 2,
            "hours": 3.5,
            "genres": [
                _ranked(GENRE_IDS["Drama"], "Drama", 2, 0, None),
                _ranked(GENRE_IDS["Comedy"], "Comedy", 1, 0, None),
            ],
            "oldest_entry": {
                "title": "Dolphin",
                "year": 2011,
                "added_on": "2022-01-01",
                "tmdb_id": 202,
            },
        },
        "lists": {"count": 1, "entries": 2},
    }
    assert s["coverage"] == {
        "films": _coverage(30, matched=28, unmatched=2),
        "watchlist": _coverage(3, matched=2, unmatched=1),
    }


def _coverage(total: int, *, matched: int, unmatched: int) -> dict[str, int]:
    return {
        "total": total,
        "matched": matched,
        "needs_review": 0,
        "unmatched": unmatched,
        "failed": 0,
        "pending": 0,
        "with_tmdb_data": matched,
    }


def _assert_2024(s: dict[str, Any]) -> None:
    """2024: A1-A10 and C1-C8 (18 films), 20 viewings (C1 three times)."""
    assert s["year"] == 2024
    # hours: A 1055 + C1 82 x 3 + C2-C8 630 = 1931 min = 32.2 h
    assert s["totals"] == {
        "films": 18,
        "viewings": 20,
        "hours": 32.2,
        "hours_based_on": 18,
        "directors": 2,
        "actors": 6,
        "countries": 2,
        "languages": 2,
        "tmdb_based_on": 18,
        "ratings": 18,
        "reviews": 1,  # A1's; B1's review was watched in 2023
        "likes": 2,
        "lists": 1,
        "watchlist": 3,
        "watchlist_hours": 3.5,
        "watchlist_based_on": 2,
    }
    ry = s["release_years"]
    assert _rows(ry["by_decade"], "decade", "films", "rated", "mean_rating") == [
        (1970, 8, 8, 3.0),
        (2020, 10, 10, 4.0),
    ]
    assert [d["decade"] for d in ry["highest_rated_decades"]] == [2020, 1970]
    drama = _ranked(GENRE_IDS["Drama"], "Drama", 18, 18, 3.56)
    crime = _ranked(GENRE_IDS["Crime"], "Crime", 10, 10, 4.0)
    horror = _ranked(GENRE_IDS["Horror"], "Horror", 8, 8, 3.0)
    assert s["genres"] == {
        "based_on": 18,
        "total": 3,
        "most_watched": [drama, crime, horror],
        "highest_rated": [crime, drama, horror],
    }
    assert _names(s["countries"]["most_watched"]) == ["United States of America", "Japan"]
    assert _names(s["languages"]["highest_rated"]) == ["English", "Japanese"]
    assert _names(s["studios"]["most_watched"]) == ["Studio A", "Studio C"]
    assert _names(s["keywords"]["most_watched"]) == ["heist", "ghost"]
    people = s["people"]
    ann = _person("Ann Director", 10, 10, 4.0)
    cy = _person("Cy Director", 8, 8, 3.0)
    assert people["directors"]["most_watched"] == [ann, cy]
    actors = [_person(f"Actor A{n}", 10, 10, 4.0) for n in range(1, 6)]
    c1 = _person("Actor C1", 8, 8, 3.0)
    assert people["actors"]["most_watched"] == [*actors, c1]
    assert people["actors"]["highest_rated"] == [*actors, c1]
    assert people["actors"]["based_on"] == 18

    ratings = s["ratings"]
    assert (ratings["rated"], ratings["unrated"]) == (18, 0)
    assert (ratings["mean"], ratings["median"]) == (3.56, 4.0)  # 128 / 18 / 2
    assert [b["films"] for b in ratings["spread"]] == [0, 4, 0, 0, 0, 0, 0, 10, 0, 4]
    assert ratings["versus_tmdb"]["based_on"] == 14
    assert ratings["versus_tmdb"]["mean_difference"] == -0.36  # (5 - 10) / 14

    diary = s["diary"]
    assert [m["viewings"] for m in diary["by_month"]] == [10, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    weeks = {w["period"]: w["viewings"] for w in diary["by_week"]}
    assert len(weeks) == 53  # 2024-W01 … 2024-W52, and 2025-W01 (30-31 December)
    assert {k: v for k, v in weeks.items() if v} == {
        "2024-W01": 7,
        "2024-W02": 3,
        "2024-W05": 4,
        "2024-W06": 5,
        "2025-W01": 1,
    }
    assert [d["viewings"] for d in diary["by_weekday"]] == [4, 3, 3, 3, 3, 2, 2]
    assert (diary["average_per_month"], diary["average_per_week"]) == (1.67, 0.38)
    assert diary["longest_streak"] == {"days": 10, "start": "2024-01-01", "end": "2024-01-10"}
    assert diary["days_with_two_or_more"] == 0
    assert diary["busiest_day"] == {"date": "2024-01-01", "viewings": 1, "films": [A1]}
    assert (diary["first_watches"], diary["rewatches"]) == (18, 2)
    assert diary["releases"] == {"this_year": 0, "older": 18, "other": 0}
    assert diary["milestones"] == [
        {"number": 1, "label": "first", "date": "2024-01-01", "film": A1},
        {"number": 10, "label": "10th", "date": "2024-01-10", "film": A10},
        {"number": 20, "label": "last", "date": "2024-12-30", "film": C1},
    ]
    hl = s["highs_and_lows"]
    assert hl["based_on"] == 18
    assert (hl["longest"]["film_id"], hl["shortest"]["film_id"]) == (10, 21)
    assert (hl["most_popular"]["film_id"], hl["least_popular"]["film_id"]) == (28, 1)
    assert (hl["oldest"]["value"], hl["newest"]["value"]) == ("1970-01-01", "2023-06-10")
    assert s["coverage"]["films"] == _coverage(18, matched=18, unmatched=0)
