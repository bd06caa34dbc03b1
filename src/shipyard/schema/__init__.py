"""The definition's keys as data, declared once per table (one module per section).

`config.Table` checks every read against them; `document.py` turns them into the JSON Schema
that `shipyard schema` prints and schema/shipyard.schema.json publishes; `registry.py` lists
them (`registry.declared()`) and runs the reader that owns each section (`readers.py`).
"""
