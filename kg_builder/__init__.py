"""kg-builder: news reports about international politics → a validated RDF knowledge graph."""

__version__ = "0.1.0"
