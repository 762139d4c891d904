"""The housing stock as JSON: the summary of a territory, buildings, availability reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from toitcommun.access.api import actor_of, write_auth
from toitcommun.api_params import (
    Latitude,
    Longitude,
    MunicipalityCode,
    Offset,
    RecordId,
    absent,
    required_text,
)
from toitcommun.api_schemas import ConflictOut
from toitcommun.errors import VersionConflict
from toitcommun.territory.api import TerritoryBrief, municipality_pk_for
from toitcommun.territory.models import PROVINCE_CODE
from toitcommun.territory.selectors import territory_get

from . import bounds
from .models import AvailabilitySnapshot, Building, Clientele, Tenure, UnitGroup
from .models import BuildingForm as BuildingShape
from .selectors import building_get, buildings_in, housing_summary, snapshots_of, stale_before
from .services import availability_report, building_create, building_update

router = Router(tags=["housing"])

_CLIENTELE_ORDER = {c: i for i, c in enumerate(Clientele.values)}


# ---- summary -------------------------------------------------------------------------------


class SummaryQuery(Schema):
    territory: str = Field(PROVINCE_CODE, description="QC, a region, an MRC or a municipality code")
    date: bounds.QueryDate | None = Field(None, description="YYYY-MM-DD; today when absent")


class ByClientele(Schema):
    seniors: int
    families: int
    singles: int


class KnownByClientele(Schema):
    """A figure per clientele; null where no unit of that clientele has a report on the date (unknown, not 0)."""

    seniors: int | None
    families: int | None
    singles: int | None


class ByTenure(Schema):
    hlm: int
    coop: int
    obnl: int


class SummaryOut(Schema):
    territory: TerritoryBrief
    date: datetime.date
    units_total: int
    units_by_clientele: ByClientele
    units_by_tenure: ByTenure
    sites: int
    adapted_units: int
    vacant_units: int | None = Field(
        description="Vacant units in the latest report on or before the date of each building and clientele; "
                    "null when no unit of the territory has a report (unknown, not 0). Partial when "
                    "reported_units < units_total: units never reported are not counted."
    )
    waiting_list: int | None = Field(description="Households on the waiting lists, as vacant_units: null when unknown")
    vacant_by_clientele: KnownByClientele
    waiting_by_clientele: KnownByClientele
    reported_units: int = Field(
        description="Units whose building has reported for their clientele on or before the date: "
                    "the units the vacancy figures speak for"
    )
    stale_units: int = Field(
        description="Among reported_units, those whose latest report is dated before stale_before (old figures)"
    )
    reported_by_clientele: ByClientele
    stale_by_clientele: ByClientele
    known_percent: int | None = Field(
        description="reported_units as a rounded share of units_total (never 100 while some units are "
                    "unknown); null when the territory has no units"
    )
    is_partial: bool = Field(description="True when some units have no report: the vacancy totals leave them out")
    oldest_report: datetime.date | None = Field(description="Date of the oldest report counted; null if none")
    latest_report: datetime.date | None = Field(description="Date of the newest report counted; null if none")
    stale_before: datetime.date = Field(
        description="Reports dated before this day are stale: the date minus HOUSING_STALE_AFTER_DAYS (90 by default)"
    )


@router.get("/housing/summary", response=SummaryOut, summary="Units, sites and vacancies of a territory")
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> Any:
    return housing_summary(territory_get(query.territory), query.date or timezone.localdate())


# ---- buildings -----------------------------------------------------------------------------


class BuildingOut(Schema):
    id: int
    name: str
    organization_id: int
    municipality_code: str
    address: str
    tenure: str
    form: str
    has_common_room: bool
    latitude: float | None
    longitude: float | None
    version: int
    units_total: int

    @staticmethod
    def resolve_municipality_code(obj: Building) -> str:
        return obj.municipality.code

    @staticmethod
    def resolve_units_total(obj: Building) -> int:
        if "units_total" in obj.__dict__:  # annotated by the list's query
            return int(obj.__dict__["units_total"] or 0)
        return sum(g.units for g in obj.unit_groups.all())


class UnitGroupOut(Schema):
    clientele: str
    bedrooms: int
    units: int
    adapted_units: int


class AvailabilityOut(Schema):
    building_id: int
    clientele: str
    as_of: datetime.date
    vacant_units: int
    waiting_list: int
    is_stale: bool = Field(
        description="True when the report is dated before today minus HOUSING_STALE_AFTER_DAYS (90 by default)"
    )

    @staticmethod
    def resolve_is_stale(obj: AvailabilitySnapshot) -> bool:
        return obj.as_of < stale_before(timezone.localdate())


class BuildingDetail(BuildingOut):
    unit_groups: list[UnitGroupOut]
    availability: list[AvailabilityOut] = Field(
        description="The latest report for each clientele (who reported it is not published)"
    )

    @staticmethod
    def resolve_unit_groups(obj: Building) -> list[UnitGroup]:
        return sorted(obj.unit_groups.all(), key=lambda g: (_CLIENTELE_ORDER[g.clientele], g.bedrooms))

    @staticmethod
    def resolve_availability(obj: Building) -> list[AvailabilitySnapshot]:
        latest: dict[str, AvailabilitySnapshot] = {}
        for snap in snapshots_of(obj):  # newest first
            latest.setdefault(snap.clientele, snap)
        return sorted(latest.values(), key=lambda s: _CLIENTELE_ORDER[s.clientele])


class BuildingList(Schema):
    items: list[BuildingOut]
    count: int
    limit: int
    offset: int


class BuildingFilters(Schema):
    territory: str = Field(PROVINCE_CODE, max_length=12, description="QC, a region, an MRC or a municipality code")
    organization: RecordId | None = Field(None, description="Owner's id")
    tenure: Tenure | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: Offset = 0


class BuildingIn(Schema):
    name: required_text(200)  # type: ignore[valid-type]
    organization_id: RecordId
    municipality_code: MunicipalityCode
    address: required_text(300)  # type: ignore[valid-type]
    tenure: Tenure
    form: BuildingShape
    has_common_room: bool = False
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class BuildingPatch(Schema):
    version: int
    name: required_text(200) = absent()  # type: ignore[valid-type]
    organization_id: RecordId = absent()
    municipality_code: MunicipalityCode = absent()
    address: required_text(300) = absent()  # type: ignore[valid-type]
    tenure: Tenure = absent()
    form: BuildingShape = absent()
    has_common_room: bool = absent()
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class AvailabilityIn(Schema):
    clientele: Clientele
    as_of: bounds.ReportDate
    vacant_units: bounds.api_int(bounds.VACANT_UNITS, "Vacant units of the building for this clientele")  # type: ignore[valid-type]
    waiting_list: bounds.api_int(bounds.WAITING_LIST, "Households on the waiting list for this clientele")  # type: ignore[valid-type]


def _form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """API field names to the building form's: owner and municipality become primary keys."""
    data = dict(fields)
    if "organization_id" in data:
        data["organization"] = data.pop("organization_id")
    if "municipality_code" in data:
        data["municipality"] = municipality_pk_for(data.pop("municipality_code"))
    return data


def _with_units(building: Building) -> Building:
    prefetch_related_objects([building], "unit_groups")
    return building


@router.get("/buildings", response=BuildingList, summary="Buildings of a territory")
def building_list(request: HttpRequest, filters: Query[BuildingFilters]) -> dict[str, Any]:
    buildings: QuerySet[Building] = buildings_in(territory_get(filters.territory))
    if filters.organization is not None:
        buildings = buildings.filter(organization_id=filters.organization)
    if filters.tenure is not None:
        buildings = buildings.filter(tenure=filters.tenure)
    page = list(buildings[filters.offset : filters.offset + filters.limit])
    return {"items": page, "count": buildings.count(), "limit": filters.limit, "offset": filters.offset}


@router.get("/buildings/{building_id}", response=BuildingDetail, summary="One building, its units and vacancies")
def building_detail(request: HttpRequest, building_id: RecordId) -> Building:
    return _with_units(building_get(building_id))


@router.post("/buildings", response={201: BuildingDetail}, auth=write_auth, summary="Add a building")
def building_add(request: HttpRequest, payload: BuildingIn) -> Building:
    data = _form_data(payload.model_dump(mode="json"))
    return _with_units(building_create(actor=actor_of(request), data=data))


@router.patch("/buildings/{building_id}", response=BuildingDetail, auth=write_auth,
              summary="Change a building (send the version you read)")
def building_change(request: HttpRequest, building_id: RecordId, payload: BuildingPatch) -> Building:
    fields = payload.model_dump(mode="json", exclude_unset=True)
    version = fields.pop("version")
    try:
        building = building_update(actor=actor_of(request), building_id=building_id, version=version,
                                   data=_form_data(fields))
    except VersionConflict as conflict:
        conflict.current = BuildingDetail.from_orm(_with_units(building_get(building_id))).model_dump(mode="json")
        raise
    return _with_units(building)


@router.post("/buildings/{building_id}/availability", response={201: AvailabilityOut, 409: ConflictOut},
             auth=write_auth,
             summary="Report vacant units and the waiting list for a clientele")
def availability_add(request: HttpRequest, building_id: RecordId,
                     payload: AvailabilityIn) -> Status[AvailabilitySnapshot]:
    report = availability_report(actor=actor_of(request), building_id=building_id,
                                 data=payload.model_dump(mode="json"))
    return Status(201, report)
