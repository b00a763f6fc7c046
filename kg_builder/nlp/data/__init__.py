"""Reference data the language model's gazetteer is built from (see README.md here)."""
