"""The language model: article text → a parsed spaCy ``Doc``.

Loads the English model once per process and adds kg-builder's own components
(:mod:`~kg_builder.nlp.components`): paragraph sentence breaks and a gazetteer entity
ruler built from :mod:`~kg_builder.nlp.gazetteer` (states, capitals, demonyms,
international organisations; the data in ``nlp/data/``).
"""

from kg_builder.nlp.model import DEFAULT_MODELS, default_model, load_nlp, unload_nlp

__all__ = ["DEFAULT_MODELS", "default_model", "load_nlp", "unload_nlp"]
