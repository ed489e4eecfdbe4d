"""People's `gender` in the stand-in's credits: a synthetic film's people get one from their
given name (the same person, the same gender, in every film); the catalogue's CSVs say no one's,
so its people are 0 (not set), as TMDB says of many."""

from __future__ import annotations

from standin.payloads import credits
from standin.synthesis import synthesise_film, synthetic_gender

from tests.fixtures.standin import AUTH, client_for, tiny

NAMES = ("Maria", "Yuki", "Anna", "Sofia", "Laura", "Elena", "Ingrid", "Claire", "Ana", "Nora")


def test_a_synthetic_person_has_the_gender_of_their_given_name() -> None:
    assert [synthetic_gender(f"{given} Smith") for given in NAMES] == [1] * len(NAMES)
    assert synthetic_gender("Tom Smith") == synthetic_gender("Kenji Tanaka") == 2
    assert synthetic_gender("Alex Smith") == 0  # not set, as TMDB says of many
    assert synthetic_gender("Tom Hardy") == 0  # not a made-up person: the data says nothing
    assert synthetic_gender("Maria") == 0


def test_synthetic_credits_carry_each_persons_gender() -> None:
    genders = set()
    for n in range(40):
        film = synthesise_film(f"A Film Nobody Made {n}", 2004)
        body = credits(film)
        for credit in (*body["cast"], *body["crew"]):
            assert credit["gender"] == synthetic_gender(credit["name"])
            genders.add(credit["gender"])
        assert credits(synthesise_film(f"A Film Nobody Made {n}", 2004)) == body
    assert genders == {0, 1, 2}  # forty films make every kind


async def test_the_served_credits_carry_gender() -> None:
    async with client_for(tiny(synthesise=True)) as client:
        search = await client.get(
            "/3/search/movie", params={"query": "A Film Nobody Made", "year": 2004, **AUTH}
        )
        film_id = search.json()["results"][0]["id"]
        details = await client.get(
            f"/3/movie/{film_id}", params={"append_to_response": "credits", **AUTH}
        )
        real = await client.get("/3/movie/1", params={"append_to_response": "credits", **AUTH})
    served = details.json()["credits"]
    for credit in (*served["cast"], *served["crew"]):
        assert credit["gender"] == synthetic_gender(credit["name"])
    assert {
        c["gender"] for c in (*real.json()["credits"]["cast"], *real.json()["credits"]["crew"])
    } == {0}
