from kg_builder.cli import app

app(prog_name="kg-builder")
