"""The stand-in's TV: a handful of miniseries that Letterboxd lists as films (pure data).

The catalogue CSVs hold no TV, so these are written here, modelled on real miniseries (titles,
air dates, episode counts, networks and leading people as TMDB has them; overviews, companies'
and keywords' ids, credit ids and the rest synthesised). Their ids are `TV_ID_MIN + n`: above
every real catalogue film id and below the synthetic films' (`synthesis.SYNTHETIC_ID_MIN`), so
no TV id is also a movie id the stand-in serves (on TMDB itself the two id spaces overlap).

`tv_titles()` lists them (id, name, first air date): what an end-to-end test can put in an
export to be matched by `GET /3/search/tv?query=<name>&first_air_date_year=<year>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from standin.films import Coded, Named, country, language, named
from standin.reference import TV_GENRE_IDS

TV_ID_MIN = 9_000_000

Network = tuple[int, str, str]  # (id, name, origin_country)
Role = tuple[str, str, int]  # (person, character, episodes)
Job = tuple[str, str, str, int]  # (person, department, job, episodes)

HBO: Network = (49, "HBO", "US")
NETFLIX: Network = (213, "Netflix", "")
CARTOON_NETWORK: Network = (56, "Cartoon Network", "US")
BBC_THREE: Network = (3, "BBC Three", "GB")
DAVIDLYNCH_COM: Network = (4117, "davidlynch.com", "US")


@dataclass(frozen=True, slots=True)
class Series:
    """One TV series. `seasons`: (air date, episodes) per season, in order."""

    id: int
    name: str
    first_air_date: str
    last_air_date: str
    seasons: tuple[tuple[str, int], ...]
    episode_run_time: int
    networks: tuple[Network, ...]
    created_by: tuple[str, ...]
    genres: tuple[str, ...]
    cast: tuple[Role, ...]
    crew: tuple[Job, ...]
    keywords: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    origin_country: tuple[str, ...] = ("US",)
    original_language: str = "en"
    original_name: str = ""
    type: str = "Miniseries"
    status: str = "Ended"
    popularity: float = 20.0
    vote_average: float = 8.0
    vote_count: int = 1000

    @property
    def number_of_episodes(self) -> int:
        return sum(episodes for _, episodes in self.seasons)

    @property
    def number_of_seasons(self) -> int:
        return len(self.seasons)

    @property
    def first_air_year(self) -> int:
        return int(self.first_air_date[:4])

    @property
    def last_air_year(self) -> int:
        return int(self.last_air_date[:4])

    @property
    def genre_pairs(self) -> tuple[Named, ...]:
        return tuple((TV_GENRE_IDS[name], name) for name in self.genres)

    @property
    def countries(self) -> tuple[Coded, ...]:
        return tuple(country(iso) for iso in self.origin_country)

    @property
    def languages(self) -> tuple[Coded, ...]:
        return (language(self.original_language),)

    @property
    def keyword_pairs(self) -> tuple[Named, ...]:
        return tuple(named("keyword", name) for name in self.keywords)

    @property
    def company_pairs(self) -> tuple[Named, ...]:
        return tuple(named("company", name) for name in self.companies)


SERIES: tuple[Series, ...] = (
    Series(
        id=TV_ID_MIN + 1,
        name="Chernobyl",
        first_air_date="2019-05-06",
        last_air_date="2019-06-03",
        seasons=(("2019-05-06", 5),),
        episode_run_time=65,
        networks=(HBO,),
        created_by=("Craig Mazin",),
        genres=("Drama",),
        cast=(
            ("Jared Harris", "Valery Legasov", 5),
            ("Stellan Skarsgård", "Boris Shcherbina", 5),
            ("Emily Watson", "Ulana Khomyuk", 5),
            ("Paul Ritter", "Anatoly Dyatlov", 4),
        ),
        crew=(
            ("Craig Mazin", "Writing", "Writer", 5),
            ("Craig Mazin", "Production", "Executive Producer", 5),
            ("Johan Renck", "Directing", "Director", 5),
            ("Hildur Guðnadóttir", "Sound", "Original Music Composer", 5),
        ),
        keywords=("nuclear disaster", "soviet union", "based on true story", "miniseries"),
        companies=("Sister Pictures", "The Mighty Mint", "Word Games"),
        origin_country=("US", "GB"),
        popularity=60.5,
        vote_average=8.7,
        vote_count=6500,
    ),
    Series(
        id=TV_ID_MIN + 2,
        name="The Night Of",
        first_air_date="2016-07-10",
        last_air_date="2016-08-28",
        seasons=(("2016-07-10", 8),),
        episode_run_time=60,
        networks=(HBO,),
        created_by=("Richard Price", "Steven Zaillian"),
        genres=("Crime", "Drama", "Mystery"),
        cast=(("John Turturro", "John Stone", 8), ("Riz Ahmed", "Nasir Khan", 8)),
        crew=(
            ("Steven Zaillian", "Directing", "Director", 7),
            ("James Marsh", "Directing", "Director", 1),
            ("Richard Price", "Writing", "Writer", 8),
        ),
        keywords=("murder", "prison", "trial", "new york city"),
        popularity=25.1,
        vote_average=8.0,
        vote_count=1400,
    ),
    Series(
        id=TV_ID_MIN + 3,
        name="Band of Brothers",
        first_air_date="2001-09-09",
        last_air_date="2001-11-04",
        seasons=(("2001-09-09", 10),),
        episode_run_time=60,
        networks=(HBO,),
        created_by=("Steven Spielberg", "Tom Hanks"),
        genres=("Drama", "War & Politics", "Action & Adventure"),
        cast=(("Damian Lewis", "Richard Winters", 10), ("Ron Livingston", "Lewis Nixon", 10)),
        crew=(
            ("David Frankel", "Directing", "Director", 2),
            ("Tom Hanks", "Directing", "Director", 1),
            ("Michael Kamen", "Sound", "Original Music Composer", 10),
        ),
        keywords=("world war ii", "paratrooper", "based on novel or book"),
        companies=("DreamWorks Television", "Playtone"),
        origin_country=("GB", "US"),
        popularity=45.0,
        vote_average=8.6,
        vote_count=3500,
    ),
    Series(
        id=TV_ID_MIN + 4,
        name="Over the Garden Wall",
        first_air_date="2014-11-03",
        last_air_date="2014-11-07",
        seasons=(("2014-11-03", 10),),
        episode_run_time=11,
        networks=(CARTOON_NETWORK,),
        created_by=("Patrick McHale",),
        genres=("Animation", "Family", "Sci-Fi & Fantasy"),
        cast=(("Elijah Wood", "Wirt (voice)", 10), ("Collin Dean", "Greg (voice)", 10)),
        crew=(
            ("Nate Cash", "Directing", "Supervising Director", 10),
            ("Patrick McHale", "Writing", "Story", 10),
        ),
        keywords=("autumn", "forest", "brothers"),
        companies=("Cartoon Network Studios",),
        popularity=30.2,
        vote_average=8.5,
        vote_count=1300,
    ),
    Series(
        id=TV_ID_MIN + 5,
        name="Watchmen",
        first_air_date="2019-10-20",
        last_air_date="2019-12-15",
        seasons=(("2019-10-20", 9),),
        episode_run_time=60,
        networks=(HBO,),
        created_by=("Damon Lindelof",),
        genres=("Drama", "Mystery", "Sci-Fi & Fantasy"),
        cast=(("Regina King", "Angela Abar", 9), ("Jeremy Irons", "Adrian Veidt", 9)),
        crew=(
            ("Nicole Kassell", "Directing", "Director", 3),
            ("Damon Lindelof", "Writing", "Writer", 9),
            ("Trent Reznor", "Sound", "Original Music Composer", 9),
        ),
        keywords=("superhero", "tulsa, oklahoma", "based on comic"),
        popularity=35.0,
        vote_average=7.7,
        vote_count=2100,
    ),
    Series(
        id=TV_ID_MIN + 6,
        name="The Devil Next Door",
        first_air_date="2019-11-04",
        last_air_date="2019-11-04",
        seasons=(("2019-11-04", 5),),
        episode_run_time=55,
        networks=(NETFLIX,),
        created_by=("Yossi Bloch", "Daniel Sivan"),
        genres=("Documentary", "Crime"),
        cast=(("John Demjanjuk", "Himself (archive footage)", 5),),
        crew=(("Daniel Sivan", "Directing", "Director", 5),),
        keywords=("trial", "holocaust", "docuseries"),
        popularity=8.4,
        vote_average=7.4,
        vote_count=150,
    ),
    Series(
        id=TV_ID_MIN + 7,
        name="Conversations with a Killer: The Ted Bundy Tapes",
        first_air_date="2019-01-24",
        last_air_date="2019-01-24",
        seasons=(("2019-01-24", 4),),
        episode_run_time=55,
        networks=(NETFLIX,),
        created_by=("Joe Berlinger",),
        genres=("Documentary", "Crime"),
        cast=(("Ted Bundy", "Himself (archive footage)", 4),),
        crew=(("Joe Berlinger", "Directing", "Director", 4),),
        keywords=("serial killer", "true crime", "docuseries"),
        popularity=12.3,
        vote_average=7.5,
        vote_count=700,
    ),
    Series(
        id=TV_ID_MIN + 8,
        name="Killer Inside: The Mind of Aaron Hernandez",
        first_air_date="2020-01-15",
        last_air_date="2020-01-15",
        seasons=(("2020-01-15", 3),),
        episode_run_time=60,
        networks=(NETFLIX,),
        created_by=("Geno McDermott",),
        genres=("Documentary", "Crime"),
        cast=(("Aaron Hernandez", "Himself (archive footage)", 3),),
        crew=(("Geno McDermott", "Directing", "Director", 3),),
        keywords=("american football", "true crime", "docuseries"),
        popularity=6.1,
        vote_average=7.2,
        vote_count=260,
    ),
    Series(
        id=TV_ID_MIN + 9,
        name="DumbLand",
        first_air_date="2002-01-01",
        last_air_date="2002-01-01",
        seasons=(("2002-01-01", 8),),
        episode_run_time=5,
        networks=(DAVIDLYNCH_COM,),
        created_by=("David Lynch",),
        genres=("Animation", "Comedy"),
        cast=(("David Lynch", "Randy (voice)", 8),),
        crew=(("David Lynch", "Directing", "Director", 8),),
        keywords=("adult animation", "web series"),
        popularity=2.2,
        vote_average=6.3,
        vote_count=40,
    ),
    Series(
        id=TV_ID_MIN + 10,
        name="Fleabag",
        first_air_date="2016-07-21",
        last_air_date="2019-04-08",
        seasons=(("2016-07-21", 6), ("2019-03-04", 6)),
        episode_run_time=27,
        networks=(BBC_THREE,),
        created_by=("Phoebe Waller-Bridge",),
        genres=("Comedy", "Drama"),
        cast=(
            ("Phoebe Waller-Bridge", "Fleabag", 12),
            ("Sian Clifford", "Claire", 12),
            ("Andrew Scott", "The Priest", 6),
        ),
        crew=(
            ("Harry Bradbeer", "Directing", "Director", 11),
            ("Phoebe Waller-Bridge", "Writing", "Writer", 12),
        ),
        keywords=("london, england", "breaking the fourth wall", "dark comedy"),
        companies=("Two Brothers Pictures",),
        origin_country=("GB",),
        type="Scripted",
        popularity=28.0,
        vote_average=8.2,
        vote_count=1600,
    ),
)


def tv_titles() -> list[tuple[int, str, str]]:
    """(id, name, first air date) of every series the stand-in serves."""
    return [(series.id, series.name, series.first_air_date) for series in SERIES]
