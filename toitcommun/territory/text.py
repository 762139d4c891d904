"""Text folding shared by every search: case- and accent-insensitive."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces and dashes: 'Lévis' -> 'levis'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = stripped.lower().replace("-", " ").replace("'", " ").replace("’", " ")
    return " ".join(cleaned.split())
