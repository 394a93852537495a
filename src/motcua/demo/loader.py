"""Loads the demo province: its organisation tree, desks, the procedure catalogue with
published processes, and one demo account per role.

Loading is idempotent: every row is found by its natural key (agency code, national code,
username), so a second run changes nothing and keeps what the demo users did.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from motcua.accounts.models import Role, User
from motcua.catalogue import services
from motcua.catalogue.models import (
    Agency,
    Component,
    Fee,
    Field,
    OneStopDesk,
    Procedure,
    ProcessStep,
    ProcessVersion,
)
from motcua.profiles import load_profile

from . import DEMO_PASSWORD
from .dossiers import load_dossiers

DATA_DIR = Path(__file__).resolve().parent / "data"
REFORM_DATE = date(2025, 7, 1)  # two-tier local government (districts abolished)


class DemoDataError(ValueError):
    """The demo data files do not hold together."""


@dataclass
class DemoAccount:
    username: str
    label: str
    agency: str
    applicant: bool = False


@dataclass
class DemoSummary:
    profile: str
    agencies: int = 0
    procedures: int = 0
    dossiers: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


def _read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _agency(key_map: dict[str, Agency], key: str, where: str) -> Agency:
    try:
        return key_map[key]
    except KeyError:
        raise DemoDataError(f"{where}: unknown agency key {key!r}") from None


def _upsert_agency(data: dict, parent: Agency | None, level: str) -> Agency:
    agency = Agency.objects.filter(code=data["code"]).first()
    if agency is None:
        return services.create_agency(
            Agency(
                code=data["code"],
                name=data["name"],
                short_name=data.get("short_name", ""),
                level=level,
                parent=parent,
                address=data.get("address", ""),
            ),
            on=REFORM_DATE,
        )
    return agency


def load_agencies(profile_key: str) -> tuple[dict[str, Agency], list[dict]]:
    tree = _read(DATA_DIR / "agencies" / f"{profile_key}.toml")
    keys: dict[str, Agency] = {}
    province = tree["province"]
    keys[province["key"]] = _upsert_agency(province, None, Agency.Level.PROVINCE)
    for item in tree.get("agency", []):
        parent = _agency(keys, item["parent"], f"agency {item['key']}")
        keys[item["key"]] = _upsert_agency(item, parent, item["level"])
    for item in tree.get("former", []):
        former = _upsert_agency(item, keys[province["key"]], item["level"])
        target = _agency(keys, item["merged_into"], f"former {item['key']}")
        if former.is_active:
            services.merge_agency(
                former,
                target,
                on=item.get("on", REFORM_DATE),
                decision="Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính",
            )
        keys[item["key"]] = former
    for item in tree.get("desk", []):
        desk, _created = OneStopDesk.objects.get_or_create(
            name=item["name"],
            defaults={
                "agency": _agency(keys, item["agency"], f"desk {item['key']}"),
                "address": item.get("address", ""),
                "phone": item.get("phone", ""),
            },
        )
        desk.served_agencies.add(
            *(_agency(keys, key, f"desk {item['key']}") for key in item["serves"])
        )
    return keys, tree.get("agency", [])


def _step_unit(spec: str, keys: dict[str, Agency], where: str) -> tuple[Agency | None, bool]:
    """Map a step's unit spec to (unit, is_handoff); ``None`` is the handling agency."""
    if spec in {"desk", "agency"}:
        return None, False
    kind, _sep, key = spec.partition(":")
    if kind == "unit":
        return _agency(keys, key, where), False
    if kind == "handoff":
        return _agency(keys, key, where), True
    raise DemoDataError(f"{where}: unknown unit {spec!r}")


def _form_schema(fields: list[dict]) -> dict:
    return {"fields": [dict(item) for item in fields]} if fields else {}


def load_procedures(keys: dict[str, Agency], communes: list[Agency]) -> int:
    catalogue = _read(DATA_DIR / "procedures.toml")
    fields = {}
    for item in catalogue["field"]:
        fields[item["key"]], _created = Field.objects.get_or_create(
            code=item["code"], defaults={"name": item["name"]}
        )
    for item in catalogue["procedure"]:
        where = f"procedure {item['national_code']}"
        if Procedure.objects.filter(national_code=item["national_code"]).exists():
            continue
        kinds = item["result_kinds"]
        procedure = Procedure(
            national_code=item["national_code"],
            name=item["name"],
            field=fields[item["field"]],
            level=item["level"],
            online_level=item["online_level"],
            processing_days=Decimal(str(item["processing_days"])),
            processing_time_note=item.get("processing_time_note", ""),
            applicant_kinds=item["applicant_kinds"],
            result_type=item["result_type"],
            result_kind="both" if len(kinds) > 1 else kinds[0],
            legal_basis="\n".join(item["legal_basis"]),
            form_schema=_form_schema(item.get("form_field", [])),
        )
        procedure.full_clean()
        procedure.save()
        if item["agency"] == "commune":
            procedure.agencies.set(communes)
        else:
            procedure.agencies.set([_agency(keys, item["agency"], where)])
        for fee in item.get("fee", []):
            Fee.objects.create(procedure=procedure, **fee)
        for order, component in enumerate(item.get("component", []), start=1):
            row = Component(procedure=procedure, order=order, **component)
            row.full_clean()
            row.save()
        version = ProcessVersion.objects.create(procedure=procedure, number=1)
        for order, step in enumerate(item["step"], start=1):
            unit, is_handoff = _step_unit(step["unit"], keys, where)
            ProcessStep.objects.create(
                version=version,
                order=order,
                name=step["name"],
                role=step["role"],
                unit=unit,
                is_handoff=is_handoff,
                allotted_hours=Decimal(str(step["hours"])),
            )
        services.publish_process_version(version)
    return Procedure.objects.count()


#: (username, role, agency key or "commune"): one staff account per role.
STAFF_ACCOUNTS = [
    ("tiepnhan", Role.RECEPTION_OFFICER, "trung-tam-phvhc"),
    ("chuyenvien", Role.SPECIALIST, "so-tai-chinh"),
    ("truongphong", Role.UNIT_LEADER, "so-tai-chinh"),
    ("lanhdao", Role.AGENCY_LEADER, "so-tai-chinh"),
    ("vanthu", Role.CLERK, "so-tai-chinh"),
    ("quantri", Role.AGENCY_ADMIN, "so-tai-chinh"),
    ("giamsat", Role.PROVINCE_MONITOR, "ubnd-tinh"),
    ("congan", Role.POLICE_AUDITOR, "cong-an-tinh"),
    ("vanhanh", Role.SYSTEM_OPERATOR, "ubnd-tinh"),
    ("xa.tiepnhan", Role.RECEPTION_OFFICER, "commune"),
    ("xa.congchuc", Role.SPECIALIST, "commune"),
    ("xa.chutich", Role.AGENCY_LEADER, "commune"),
    ("xa.vanthu", Role.CLERK, "commune"),
]

#: Applicants: (username, kind, full name, personal ID or tax code, phone).
APPLICANT_ACCOUNTS = [
    ("congdan1", User.Kind.CITIZEN, "Nguyễn Văn An", "027090001234", "0912345678"),
    ("congdan2", User.Kind.CITIZEN, "Trần Thị Bình", "027185005678", "0987654321"),
    (
        "doanhnghiep1",
        User.Kind.ORGANISATION,
        "Công ty TNHH Thương mại Kinh Bắc",
        "2300123456",
        "0222381234",
    ),
]


def _account(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_accounts(keys: dict[str, Agency], commune: Agency) -> list[DemoAccount]:
    accounts = []
    for username, role, agency_key in STAFF_ACCOUNTS:
        agency = commune if agency_key == "commune" else keys[agency_key]
        _account(
            username,
            kind=User.Kind.STAFF,
            role=role,
            agency=agency,
            full_name=f"{role.label} ({agency})",
            is_staff=role == Role.SYSTEM_OPERATOR,  # the Django admin: the operator only
            is_superuser=role == Role.SYSTEM_OPERATOR,
        )
        accounts.append(DemoAccount(username, str(role.label), str(agency)))
    for username, kind, name, identifier, phone in APPLICANT_ACCOUNTS:
        id_field = "personal_id" if kind == User.Kind.CITIZEN else "tax_code"
        _account(username, kind=kind, full_name=name, phone=phone, **{id_field: identifier})
        accounts.append(DemoAccount(username, str(kind.label), name, applicant=True))
    return accounts


@transaction.atomic
def load_demo(profile_key: str) -> DemoSummary:
    """Load (or find already loaded) the demo province of a profile."""
    load_profile(profile_key)  # an unknown profile fails before anything is written
    if profile_key != settings.MOTCUA_PROFILE:
        raise DemoDataError(
            f"this installation runs the {settings.MOTCUA_PROFILE!r} profile; "
            f"load {profile_key!r} with MOTCUA_PROFILE={profile_key} (or --profile)"
        )
    keys, agencies = load_agencies(profile_key)
    communes = [keys[item["key"]] for item in agencies if item["level"] == "commune"]
    if not communes:
        raise DemoDataError(f"{profile_key}: the demo province needs at least one commune")
    summary = DemoSummary(profile=profile_key)
    summary.procedures = load_procedures(keys, communes)
    summary.agencies = Agency.objects.count()
    summary.accounts = load_accounts(keys, communes[0])
    summary.dossiers = load_dossiers(load_profile(profile_key))
    return summary
