"""Housing import files of any size, for the background-job tests and the benchmark.

Sites are visibly fictional ("Site fictif 17"); each has up to four unit groups (one row each).
"""

from __future__ import annotations

HEADER = ("organisme;municipalité;site;adresse;mode;forme;clientèle;logements;logements adaptés;chambres;"
          "logements vacants;liste d'attente;en date du")
GROUPS = (("aînés", 1), ("aînés", 2), ("familles", 2), ("familles", 3))


def housing_csv(rows: int, municipality_codes: list[str], *, as_of: str = "2015-03-31", first_site: int = 0) -> bytes:
    """A valid import of ``rows`` unit groups, spread over the given municipalities."""
    lines = [HEADER]
    site = first_site
    while len(lines) - 1 < rows:
        code = municipality_codes[site % len(municipality_codes)]
        organization = f"Office d'habitation fictif {site % 500}"
        for clientele, bedrooms in GROUPS:
            if len(lines) - 1 >= rows:
                break
            lines.append(f"{organization};{code};Site fictif {site};{site}, rue Imaginaire;HLM;multilogement;"
                         f"{clientele};{10 + site % 7};{site % 2};{bedrooms};{site % 3};{site % 11};{as_of}")
        site += 1
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
