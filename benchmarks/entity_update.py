"""CPU of rebuilding the entity graph of a store, step by step (issue 13).

``kg_builder.store.entities.rebuild_entities`` recomputes the entity graph from every
stored article graph in steps (:data:`~kg_builder.store.entities.ENTITY_CHUNK` entities,
then :data:`~kg_builder.store.entities.DEMAND_CHUNK` demands); this prints the CPU
seconds of each step and of the whole, so that a step's cost can be compared across store
sizes (it should depend on the step, not on the store). The store is changed: its entity
graph is rebuilt (the same graph, it depends only on the stored articles).

Usage::

    python benchmarks/queries.py --articles 10000 --workdir /tmp/q   # a synthetic store
    python benchmarks/entity_update.py /tmp/q/store-10000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Any

import kg_builder.store.entities as entities
from kg_builder.store import open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="a store folder (rebuilt in place)")
    args = parser.parse_args(argv)
    store = open_store(args.store)
    update = entities.update_entities

    def timed(*a: Any, **k: Any) -> entities.EntityUpdate:
        cpu = time.process_time()
        result = update(*a, **k)
        print(f"step: {time.process_time() - cpu:8.1f} s CPU  {result}", flush=True)
        return result

    setattr(entities, "update_entities", timed)  # noqa: B010 (a timer around each step)
    cpu = time.process_time()
    result = entities.rebuild_entities(store, engine="native")
    store.flush()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"rebuild: {time.process_time() - cpu:.1f} s CPU, peak {peak} MB  {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
