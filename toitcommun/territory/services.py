"""Acts on the territory tree: loading the province from the MAMH directory."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from toitcommun.access.services import audit_record_many

from .models import Mrc, Municipality, Region, Territory

MAMH_FILE = Path(settings.BASE_DIR) / "data" / "quebec" / "mamh_municipalites.csv"
POINTS_FILE = Path(settings.BASE_DIR) / "data" / "quebec" / "municipal_points.csv"
_PAREN = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]*)\)\s*$")

# Names the published sources used before a territory was renamed, beyond what
# the MAMH file itself shows. Keys are codes.
EXTRA_FORMER_NAMES: dict[str, list[str]] = {
    "270": ["Robert-Cliche", "MRC Robert-Cliche"],
    "310": ["L'Amiante", "MRC de L'Amiante"],
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: {"region": 0, "mrc": 0, "municipality": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"region": 0, "mrc": 0, "municipality": 0})

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _split(value: str) -> tuple[str, str]:
    match = _PAREN.match(value.strip())
    if not match:
        return value.strip(), ""
    return match["name"].strip(), match["code"].strip()


def _strip_mrc_prefix(name: str) -> str:
    return name[4:] if name.startswith("MRC ") else name


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _read_points(path: Path) -> dict[str, tuple[Decimal, Decimal]]:
    """Municipality code -> (latitude, longitude); see data/quebec/SOURCE.md."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["mcode"]: (Decimal(row["latitude"]).quantize(Decimal("0.000001")),
                               Decimal(row["longitude"]).quantize(Decimal("0.000001")))
                for row in csv.DictReader(handle)}


def _read_rows(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    regions: dict[str, dict[str, Any]] = {}
    mrcs: dict[str, dict[str, Any]] = {}
    municipalities: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            region_name, _ = _split(row["regadm"])
            region_code = row["region_code"]
            regions[region_code] = {"name": region_name, "former_names": []}
            cd_name, _ = _split(row["divrec"])
            if row["mrc_code"]:
                mrc_code = row["mrc_code"]
                mrc_name = _strip_mrc_prefix(_split(row["mrc"])[0])
                is_te = False
            else:
                mrc_code = f"TE{row['cd_code']}"
                mrc_name = cd_name
                is_te = True
            former = list(EXTRA_FORMER_NAMES.get(mrc_code, []))
            if cd_name != mrc_name and cd_name not in former:
                former.insert(0, cd_name)
            mrcs.setdefault(
                mrc_code,
                {
                    "name": mrc_name,
                    "former_names": former,
                    "region_code": region_code,
                    "is_equivalent_territory": is_te,
                    "census_division_code": row["cd_code"],
                },
            )
            municipalities[row["mcode"]] = {
                "name": row["munnom"],
                "former_names": [],
                "mrc_code": mrc_code,
                "designation": row["mdes"],
                "population": int(row["mpopul"]) if row["mpopul"].isdigit() else None,
                "area_km2": _decimal(row["msuperf"]),
            }
    return regions, mrcs, municipalities


def _sync(
    model: Any, wanted: dict[str, dict[str, Any]], report: LoadReport, level: str,
    audit: list[dict[str, Any]],
) -> dict[str, Territory]:
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create: list[Territory] = []
    to_update: list[Territory] = []
    fields: set[str] = set()
    for code, values in wanted.items():
        values = {**values, "search_text": Territory.search_text_for(values["name"], values["former_names"])}
        obj = existing.get(code)
        if obj is None:
            obj = model(code=code, **values)
            to_create.append(obj)
            audit.append({"action": f"territory.{level}.create", "object_type": model._meta.label_lower,
                          "object_id": code, "object_label": values["name"], "after": {"name": values["name"]}})
            continue
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if changed:
            before = {k: str(getattr(obj, k)) for k in changed}
            for k, v in changed.items():
                setattr(obj, k, v)
            fields.update(changed)
            to_update.append(obj)
            audit.append({"action": f"territory.{level}.update", "object_type": model._meta.label_lower,
                          "object_id": code, "object_label": obj.name, "before": before,
                          "after": {k: str(v) for k, v in changed.items()}})
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
    report.created[level] += len(to_create)
    report.updated[level] += len(to_update)
    return {obj.code: obj for obj in model.objects.all()}


def territory_load_mamh(*, actor: Any = None, path: Path | None = None,
                        points_path: Path | None = None) -> LoadReport:
    """Load or refresh the province's regions, MRCs and municipalities from MAMH's directory,
    with each municipality's point where the open points file has one.

    Idempotent: a second run with the same files changes nothing and writes no audit event.
    """
    regions, mrcs, municipalities = _read_rows(path or MAMH_FILE)
    points = _read_points(points_path or POINTS_FILE)
    for code, values in municipalities.items():
        values["latitude"], values["longitude"] = points.get(code, (None, None))
    report = LoadReport()
    audit: list[dict[str, Any]] = []
    with transaction.atomic():
        region_objs = _sync(Region, regions, report, "region", audit)
        mrc_rows = {
            code: {**{k: v for k, v in values.items() if k != "region_code"}, "region_id": region_objs[values["region_code"]].pk}
            for code, values in mrcs.items()
        }
        mrc_objs = _sync(Mrc, mrc_rows, report, "mrc", audit)
        municipality_rows = {
            code: {**{k: v for k, v in values.items() if k != "mrc_code"}, "mrc_id": mrc_objs[values["mrc_code"]].pk}
            for code, values in municipalities.items()
        }
        _sync(Municipality, municipality_rows, report, "municipality", audit)
        audit_record_many(actor=actor, events=audit)
    return report
