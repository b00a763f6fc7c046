"""A shard directory: validated article graphs as sorted, gzipped N-Quads, with manifests.

What ``kg-builder ingest --cluster ... --shards DIR`` writes and ``kg-builder load`` /
``kg-builder push DIR`` read. One shard per input partition:

* ``part-000007.nq.gz`` — the partition's stored article graphs as N-Quads (one named graph
  per article), lines sorted, gzip without a timestamp (the same input gives the same bytes);
* ``part-000007.json`` — its record: the partition's key (what was read, with which
  options), the shard's SHA-256, size and quad count, every article read (id, where it was
  read from, named graph, triples, status ``stored``/``failed``/``replaced``, a digest of
  its text) and every failure with its reason;
* ``derived.nq.gz`` — the graphs derived from all the articles together, as a local ingest
  keeps them beside the article graphs: the entity graph (canonical descriptions of shared
  entities, demand and agreement histories, :mod:`kg_builder.store.entities`) and the
  ontology graph. The client computes it at the end of the run, by loading the shards into
  a temporary store exactly as :func:`load_shards` does; it is there for a triplestore
  that bulk-loads the folder as it is (``push DIR``, Fuseki, QLever);
* ``manifest.json`` — written last by the run: the plan's key, the base IRI, the shards in
  input order and the derived graphs' file. Its presence says the directory is complete.

Each file is written to a temporary name, flushed to disk and renamed, shard before record:
a record exists only for a finished shard, and a killed writer leaves at most a temporary
file (ignored, and replaced by the next attempt). Every article graph is in at most one
shard: an id met again in a later partition *replaces* the earlier graph (the earlier shard
is rewritten without it), so the shards load as they are into any triplestore.

Why one module of over 500 lines: the shard folder is one on-disk format (records, manifest,
derived graphs); its writers, checkers and loader must agree byte for byte, so they live
together.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg_builder.errors import StoreError
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.vocab import DEFAULT_BASE
from kg_builder.store.embedded import PENDING_FILE, open_store
from kg_builder.store.entities import ArticleWriter
from kg_builder.store.ontology import ONTOLOGY_GRAPH

#: The directory's manifest: written when every partition is done.
MANIFEST = "manifest.json"
#: Value of ``format`` in the manifest and in each record.
FORMAT = "kg-builder-shards/1"
#: Article statuses in a record.
STORED, FAILED, REPLACED = "stored", "failed", "replaced"


@dataclass(frozen=True, slots=True)
class ShardArticle:
    """One article read by a partition.

    Attributes:
        id: The article id.
        origin: Where it was read from ("file.jsonl:12").
        graph: Its named graph (the article IRI).
        triples: Triples of its graph (0 unless stored).
        status: ``stored`` (in this shard), ``failed``, or ``replaced`` (a later article
            with the same id won).
        digest: Hex digest of its text (for the same-text warning of a later run).
    """

    id: str
    origin: str
    graph: str
    triples: int
    status: str
    digest: str


@dataclass(frozen=True, slots=True)
class Shard:
    """The record of one finished partition (``part-NNNNNN.json``).

    Attributes:
        name: ``part-NNNNNN``: the partition's place in the input order.
        key: What was read, with which options; a rerun skips a shard whose key matches.
        source: What was read, for a person ("news.jsonl:1-500").
        sha256: Checksum of the ``.nq.gz`` file.
        size: Its size in bytes.
        quads: Quads (triples of stored graphs) in it.
        articles: Every article read, in input order.
        failed: ``(origin, reason)`` of every input or article not stored, in order.
        seconds: Time spent on the partition.
    """

    name: str
    key: str
    source: str
    sha256: str
    size: int
    quads: int
    articles: tuple[ShardArticle, ...]
    failed: tuple[tuple[str, str], ...]
    seconds: float = 0.0

    @property
    def file(self) -> str:
        """The shard's file name."""
        return f"{self.name}.nq.gz"

    @property
    def graphs(self) -> list[str]:
        """Named graphs in the shard, in input order."""
        return [a.graph for a in self.articles if a.status == STORED]

    def to_json(self) -> dict[str, Any]:
        """The record as written in ``part-NNNNNN.json``."""
        data = dataclasses.asdict(self)
        data["format"] = FORMAT
        data["file"] = self.file
        data["articles"] = [dataclasses.asdict(a) for a in self.articles]
        data["failed"] = [{"origin": o, "reason": r} for o, r in self.failed]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shard:
        """A record read back; raises KeyError/TypeError/ValueError when malformed."""
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} record")
        return cls(
            name=str(data["name"]),
            key=str(data["key"]),
            source=str(data["source"]),
            sha256=str(data["sha256"]),
            size=int(data["size"]),
            quads=int(data["quads"]),
            articles=tuple(ShardArticle(**a) for a in data["articles"]),
            failed=tuple((str(f["origin"]), str(f["reason"])) for f in data["failed"]),
            seconds=float(data.get("seconds", 0.0)),
        )


# --------------------------------------------------------------------------- writing


def shard_name(index: int) -> str:
    """The name of the shard of partition ``index`` (0-based, input order)."""
    return f"part-{index:06d}"


def nquads_lines(graph: str, ntriples: str) -> Iterator[str]:
    """The N-Triples of one article graph as N-Quad lines in ``graph`` (with newline)."""
    suffix = f" <{graph}> .\n"
    for line in ntriples.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line.removesuffix(".").rstrip() + suffix


def write_shard(
    directory: str | Path,
    name: str,
    key: str,
    source: str,
    graphs: Iterable[tuple[str, str]],
    articles: Sequence[ShardArticle],
    failed: Sequence[tuple[str, str]],
    seconds: float = 0.0,
) -> Shard:
    """Write one partition's shard and then its record, each atomically.

    Args:
        directory: The shard directory (created if missing).
        name: :func:`shard_name` of the partition.
        key: The partition's key.
        source: What was read, for a person.
        graphs: ``(graph IRI, N-Triples)`` of the stored articles; a graph given twice
            keeps its last version.
        articles: Every article read, in input order.
        failed: ``(origin, reason)`` of what was not stored.
        seconds: Time spent on the partition.

    Returns:
        The record written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    latest = dict(graphs)
    lines = sorted(line for g, nt in latest.items() for line in nquads_lines(g, nt))
    sha256, size = _write_gzip(directory / f"{name}.nq.gz", lines)
    shard = Shard(
        name, key, source, sha256, size, len(lines), tuple(articles), tuple(failed), seconds
    )
    _write_json(directory / f"{name}.json", shard.to_json())
    return shard


def drop_graphs(directory: str | Path, shard: Shard, graphs: set[str]) -> Shard:
    """Rewrite ``shard`` without ``graphs`` (replaced by a later partition); its record too.

    Their articles keep their place in the record with status ``replaced``.
    """
    directory = Path(directory)
    suffixes = tuple(f" <{g}> .\n" for g in graphs)
    kept = [line for line in _shard_lines(directory / shard.file) if not line.endswith(suffixes)]
    sha256, size = _write_gzip(directory / shard.file, kept)
    articles = tuple(
        dataclasses.replace(a, status=REPLACED, triples=0)
        if a.graph in graphs and a.status == STORED
        else a
        for a in shard.articles
    )
    new = dataclasses.replace(shard, sha256=sha256, size=size, quads=len(kept), articles=articles)
    _write_json(directory / f"{shard.name}.json", new.to_json())
    return new


def write_manifest(
    directory: str | Path,
    plan: str,
    shards: Sequence[Shard],
    *,
    base: str = DEFAULT_BASE,
    derived: Derived | None = None,
) -> Path:
    """Write ``manifest.json`` (the last step of a run).

    Args:
        directory: The shard directory.
        plan: The plan's key.
        shards: Every shard, in input order.
        base: The base IRI the article graphs were minted under.
        derived: The file of the derived graphs (:func:`write_derived`), if written.
    """
    path = Path(directory) / MANIFEST
    _write_json(
        path,
        {
            "format": FORMAT,
            "plan": plan,
            "base": base,
            "derived": dataclasses.asdict(derived) if derived is not None else None,
            "shards": [
                {"name": s.name, "file": s.file, "sha256": s.sha256, "quads": s.quads}
                for s in shards
            ],
            "graphs": sum(len(s.graphs) for s in shards),
            "quads": sum(s.quads for s in shards),
            "failed": sum(len(s.failed) for s in shards),
        },
    )
    return path


def _write_gzip(path: Path, lines: Iterable[str]) -> tuple[str, int]:
    """Write ``lines`` gzipped (no timestamp or name: same lines, same bytes) atomically."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="", compresslevel=6) as gz:
        for line in lines:
            gz.write(line.encode("utf-8"))
    data = buf.getvalue()
    _write_atomic(path, data)
    return hashlib.sha256(data).hexdigest(), len(data)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON atomically, unless the file already says exactly that."""
    text = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    with contextlib.suppress(OSError):
        if path.read_bytes() == text:
            return
    _write_atomic(path, text)


def _write_atomic(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, flushed to disk, renamed over ``path``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # the rename itself on disk (POSIX)
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --------------------------------------------------------------------------- reading


def read_record(directory: str | Path, name: str) -> Shard | None:
    """The record of shard ``name``, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((Path(directory) / f"{name}.json").read_text(encoding="utf-8"))
        return Shard.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_shard(directory: str | Path, shard: Shard) -> str | None:
    """What is wrong with the shard's file (missing, other size or checksum), or None."""
    path = Path(directory) / shard.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"{path}: cannot read the shard ({exc.strerror or exc})"
    if len(data) != shard.size or hashlib.sha256(data).hexdigest() != shard.sha256:
        return (
            f"{path}: the file does not match its record (size or SHA-256 differs): "
            "it was changed or cut off; run the ingest again to rewrite it"
        )
    return None


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The manifest of a complete shard directory.

    Raises:
        StoreError: no manifest (the run has not finished: run it again to complete it),
            or it cannot be read.
    """
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(
            f"{directory} has no {MANIFEST}: it is not a shard directory, or the ingest "
            "that writes it has not finished (run the same ingest again to complete it)"
        ) from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{directory / MANIFEST}: cannot read the manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"{directory / MANIFEST}: not a {FORMAT} manifest")
    return manifest


def read_shards(directory: str | Path) -> tuple[str, list[Shard]]:
    """The plan's key and the records of a complete shard directory, in input order.

    Raises:
        StoreError: no manifest (the run has not finished: run it again to complete it),
            or a record is missing or unreadable.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    shards = []
    for entry in manifest.get("shards", []):
        shard = read_record(directory, str(entry.get("name")))
        if shard is None or shard.sha256 != entry.get("sha256"):
            raise StoreError(
                f"{directory}: the record of shard {entry.get('name')} is missing or does "
                "not match the manifest; run the ingest again to rewrite it"
            )
        shards.append(shard)
    return str(manifest.get("plan", "")), shards


def read_derived(directory: str | Path) -> bytes | None:
    """The derived graphs' N-Quads (entity and ontology graphs), checked against the
    manifest; None when the folder has none (written by an older kg-builder).

    Raises:
        StoreError: the directory is incomplete, or the file does not match the manifest.
    """
    directory = Path(directory)
    entry = read_manifest(directory).get("derived")
    if not entry:
        return None
    derived = Derived(**entry)
    path = directory / derived.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the derived graphs ({exc.strerror or exc})") from exc
    if len(data) != derived.size or hashlib.sha256(data).hexdigest() != derived.sha256:
        raise StoreError(
            f"{path}: the file does not match the manifest (size or SHA-256 differs); "
            "run the ingest again to rewrite it"
        )
    return gzip.decompress(data)


def finished_derived(directory: str | Path) -> Derived | None:
    """The derived graphs' entry of the manifest when the file matches it, else None."""
    try:
        entry = read_manifest(directory).get("derived")
        if entry and read_derived(directory) is not None:
            return Derived(**entry)
    except (StoreError, TypeError, OSError, EOFError):
        pass
    return None


def shard_data(directory: str | Path, shard: Shard) -> bytes:
    """The shard's N-Quads (checked against its record first).

    Raises:
        StoreError: the file is missing or does not match its record.
    """
    problem = check_shard(directory, shard)
    if problem:
        raise StoreError(problem)
    return gzip.decompress((Path(directory) / shard.file).read_bytes())


def _shard_lines(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines(keepends=True)


# --------------------------------------------------------------------------- load


@dataclass(frozen=True, slots=True)
class Derived:
    """The file of the derived graphs (entity and ontology graphs) in a shard directory.

    Attributes:
        file: Its name (:data:`DERIVED`).
        sha256: Its checksum.
        size: Its size in bytes.
        quads: Quads in it.
        graphs: The named graphs in it.
    """

    file: str
    sha256: str
    size: int
    quads: int
    graphs: list[str]


#: The derived graphs' file in a shard directory.
DERIVED = "derived.nq.gz"


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What :func:`load_shards` did.

    Attributes:
        shards: Shards loaded.
        graphs: Article graphs loaded (each replaced an earlier version, if any).
        quads: Quads loaded.
        seconds: Wall-clock time.
        entities: Canonical descriptions recomputed in the entity graph (an entity
            described in several shards counts once per shard).
    """

    shards: int
    graphs: int
    quads: int
    seconds: float
    entities: int = 0


def load_shards(
    directory: str | Path,
    store_path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> LoadReport:
    """Bulk-load a complete shard directory into the embedded store, as ingest writes it.

    Every shard is checked against its record (size, SHA-256) before anything is written,
    then each is bulk-loaded (RocksDB files added directly, as ingest does), its graphs
    replacing earlier versions in the store, and the entity graph and the ontology graph
    are brought up to date as an ingest does (an
    :class:`~kg_builder.store.entities.ArticleWriter`, a shard is one load, the entity
    graph updated once at the end): the store ends up as a local ingest of the same
    input leaves it, graph for graph. A load cut off
    midway leaves the journals: the next open drops the shard being loaded, the next
    write rebuilds the entity graph, and loading again completes it.

    Args:
        directory: What ``kg-builder ingest --cluster ... --shards DIR`` wrote.
        store_path: The embedded store (created if missing).
        progress: Called with (shards loaded, shards in all) after each shard.

    Returns:
        A :class:`LoadReport`.

    Raises:
        StoreError: the directory is incomplete, a shard does not match its record, or
            the store cannot be written.

    Example:
        >>> load_shards("out/shards", "out/store").graphs  # doctest: +SKIP
        2590
    """
    started = time.perf_counter()
    base = str(read_manifest(directory).get("base") or DEFAULT_BASE)
    _, shards = read_shards(directory)
    for shard in shards:
        problem = check_shard(directory, shard)
        if problem:
            raise StoreError(problem)
    store = open_store(store_path)
    writer = ArticleWriter(store, journal=Path(store_path) / PENDING_FILE, base=base)
    graphs = quads = 0
    for n, shard in enumerate(shards, start=1):
        if shard.graphs:
            _load_shard(writer, Path(directory), shard)
        graphs += len(shard.graphs)
        quads += shard.quads
        if progress:
            progress(n, len(shards))
    update = writer.finish()
    store.flush()
    return LoadReport(len(shards), graphs, quads, time.perf_counter() - started, update.entities)


def _load_shard(writer: ArticleWriter, directory: Path, shard: Shard) -> None:
    """One shard as one load of an :class:`~kg_builder.store.entities.ArticleWriter`."""
    with gzip.open(directory / shard.file, "rb") as data:
        writer.write_nquads(cast(IO[bytes], data), shard.graphs)


def write_derived(
    directory: str | Path, shards: Sequence[Shard], base: str = DEFAULT_BASE
) -> Derived:
    """Compute the entity and ontology graphs of a shard directory and write them.

    ``shards`` (every shard of the run, finished, in input order; the manifest is not yet
    written) are loaded into a temporary store inside ``directory`` as :func:`load_shards`
    does; the graphs that are not
    article graphs are written, sorted, to :data:`DERIVED` (atomically), and the
    temporary store is removed.

    Returns:
        What was written, for the manifest.
    """
    import shutil
    import tempfile

    directory = Path(directory)
    minter = IriMinter(base)
    work = Path(tempfile.mkdtemp(prefix=".derived-", dir=directory))
    try:
        store = open_store(work / "store")
        writer = ArticleWriter(store, journal=work / "store" / PENDING_FILE, base=base)
        for record in shards:
            if record.graphs:
                _load_shard(writer, directory, record)
        writer.finish()
        wanted = [minter.entity_graph(), ONTOLOGY_GRAPH]
        lines = sorted(
            str(q) + " .\n"
            for g in wanted
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        )
        sha256, size = _write_gzip(directory / DERIVED, lines)
        del store
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Derived(DERIVED, sha256, size, len(lines), wanted)
