"""Moving a Joomla 3 site: its database (a dump or a live server) -> article files, photos,
old addresses and the counter's figure. Read (`dump`, `database`) -> model (`schema`) ->
addresses (`routes`) -> articles (`convert`) -> files and report (`migrate`). Nothing here
imports MkDocs; the build reads what the import leaves (`old_addresses.py`)."""
