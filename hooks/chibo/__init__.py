"""The chi bộ portal's logic, independent of MkDocs.

The stages follow the flow of a build: `articles` reads and validates each
Markdown file, `catalog` decides what is published and where, and the MkDocs
hook file (`hooks/portal.py`) only maps MkDocs events onto these modules.
"""
