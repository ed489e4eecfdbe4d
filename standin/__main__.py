"""`python -m standin`: the TMDB v3 stand-in on a real port (offline demos, integration tests,
benchmarks). A development tool: it is not part of the letterboxd-stats wheel or image."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from standin import StandinConfig, create_standin_app

console = Console(stderr=True)


def main(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    api_key: Annotated[str, typer.Option(help="The accepted ?api_key=.")] = "standin-key",
    bearer_token: Annotated[
        str | None, typer.Option(help="Also accept 'Authorization: Bearer <token>'.")
    ] = None,
    rate_limit: Annotated[int, typer.Option(help="Requests per second (0 = unlimited).")] = 40,
    latency_ms: Annotated[float, typer.Option(help="Mean added latency.")] = 0.0,
    jitter_ms: Annotated[float, typer.Option(help="Latency jitter (uniform +-).")] = 0.0,
    error_rate: Annotated[float, typer.Option(help="Share answered 502/503/504.")] = 0.0,
    timeout_rate: Annotated[float, typer.Option(help="Share that hang, then 504.")] = 0.0,
    hang_seconds: Annotated[float, typer.Option(help="How long a timeout hangs.")] = 15.0,
    max_connections: Annotated[
        int, typer.Option(help="Requests in flight at once (0 = unlimited).")
    ] = 20,
    synthesise: Annotated[
        bool,
        typer.Option("--synthesise/--no-synthesise", help="Invent films for unknown titles."),
    ] = False,
    real_world: Annotated[
        bool,
        typer.Option(
            "--real-world/--no-real-world",
            help="Search answers as real TMDB's: making-ofs, same-title shorts, undated entries…",
        ),
    ] = False,
    data_dir: Annotated[
        Path | None, typer.Option(help="Folder with tmdb5000/ and tmdb10k-udacity/.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for injected faults and latency.")] = 0,
) -> None:
    """Run the TMDB v3 stand-in (for offline demos, integration tests and benchmarks)."""
    config = StandinConfig(
        api_key=api_key,
        bearer_token=bearer_token,
        rate_limit=rate_limit,
        latency_ms=latency_ms,
        jitter_ms=jitter_ms,
        error_rate=error_rate,
        timeout_rate=timeout_rate,
        hang_seconds=hang_seconds,
        max_connections=max_connections,
        synthesise=synthesise,
        real_world=real_world,
        data_dir=data_dir,
        seed=seed,
    )
    standin = create_standin_app(config)
    films = len(standin.state.catalogue)
    mode = ", real-world search answers" if real_world else ""
    console.print(f"TMDB stand-in on [bold]http://{host}:{port}/3[/bold] ({films} films{mode})")
    uvicorn.run(
        standin,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    typer.run(main)
