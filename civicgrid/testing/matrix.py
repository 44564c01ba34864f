"""The world the generated permission matrix runs in (docs/architecture.md "One way in").

One object of every kind an endpoint can name, all in grid a1_west (the ``worker``'s grid), plus
the users the matrix plays: an outsider (grid worker of street b), the auditor, a resident who
did not report the case, and a department the case was never dispatched to.

``HTML_SAMPLES`` and ``API_SAMPLES`` say which object fills each URL's parameters. A new URL
pattern or API operation without an entry here fails the matrix with a message saying so: the
person adding an endpoint decides which object it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers, make_user

# Text that appears only in the world's objects, so a list answered to an outsider can be
# checked for leaks without knowing how the page lays itself out.
MARK = "矩阵标记"


@dataclass
class World:
    city: TestCity
    users: RoleUsers
    secadmin: User
    resident2: User
    dept2_user: User
    objects: dict[str, Any]

    def owner_for(self, roles: frozenset[str] | None) -> User:
        """The in-scope user who should get through a door admitting ``roles``."""
        order = [
            self.users.worker,
            self.users.command,
            self.users.secretary,
            self.users.cadre,
            self.users.department,
            self.users.resident,
            self.secadmin,
            self.users.auditor,
            self.users.sysadmin,
        ]
        for user in order:
            if roles is None or user.role in roles:
                return user
        return self.users.sysadmin


def build_world(city: TestCity, users: RoleUsers) -> World:
    from datetime import timedelta

    from django.utils import timezone

    from civicgrid.cases.choices import Action, Channel
    from civicgrid.cases.models import CasePhoto
    from civicgrid.cases.photos import case_photo_add
    from civicgrid.fieldwork.choices import VisitPurpose
    from civicgrid.fieldwork.models import Visit
    from civicgrid.notifications.models import Notification
    from civicgrid.notifications.services import notify
    from civicgrid.registry.choices import ImportKind, Relation, TagGroup
    from civicgrid.registry.models import ImportJob, Organization, PersonTag, TagKind
    from civicgrid.registry.tests.factories import (
        make_building,
        make_dwelling,
        make_household,
        make_person,
    )
    from civicgrid.testing.case_pages import png_bytes, walk
    from civicgrid.testing.cases import report_case

    grid = city.grids["a1_west"]
    building = make_building(grid, f"{MARK}巷1号")
    dwelling = make_dwelling(building, "101")
    household = make_household(dwelling, number="520102009")
    head = make_person(
        grid,
        name=f"{MARK}王",
        phone="13812345678",
        household=household,
        dwelling=dwelling,
        relation=Relation.HEAD,
    )
    household.head = head
    household.save()
    organization = Organization.objects.create(
        grid=grid, name=f"{MARK}便利店", address=f"{MARK}巷1号"
    )
    kind, _ = TagKind.objects.get_or_create(
        code="matrix-care", defaults={"name": "独居老人", "group": TagGroup.values[0]}
    )
    tag = PersonTag.objects.create(
        person=head, kind=kind, grid=grid, grid_code=grid.code, started_on=date(2026, 1, 5)
    )
    job = ImportJob.objects.create(
        kind=ImportKind.values[0], scope_code=grid.code, created_by=users.worker
    )
    job.file.save("matrix.csv", ContentFile(b"x\n"), save=True)

    case = report_case(users.resident, channel=Channel.RESIDENT, description=f"{MARK}:楼道堆放杂物")
    case_photo_add(
        case=case,
        image=ContentFile(png_bytes(), name="scene.png"),
        uploaded_by=users.resident,
    )
    case = walk(case, users, until=Action.DISPATCH)
    photo = CasePhoto.objects.filter(case=case).first()

    notify(recipients=[users.worker], kind="case", title=f"{MARK}消息", url="/cases/")
    notification = Notification.objects.filter(recipient=users.worker).first()

    patrol = _finished_patrol(grid, users.worker)
    visit = Visit.objects.create(
        worker=users.worker,
        grid=grid,
        grid_code=grid.code,
        household=household,
        person=head,
        visited_at=timezone.now() - timedelta(days=1),
        purpose=VisitPurpose.CARE,
        findings=f"{MARK}走访情况",
    )

    task, task_item, task_file = _grid_task(grid, users, household)

    dept2 = Department.objects.create(code="slj", name="水利局", region_code=city.district.code)
    return World(
        city=city,
        users=users,
        secadmin=make_user("secadmin", Role.SECADMIN),
        resident2=make_user("resident2", Role.RESIDENT),
        dept2_user=make_user("dept2", Role.DEPARTMENT, department=dept2),
        objects={
            "grid": grid,
            "building": building,
            "dwelling": dwelling,
            "household": household,
            "person": head,
            "organization": organization,
            "tag": tag,
            "job": job,
            "case": case,
            "photo": photo,
            "notification": notification,
            "patrol": patrol,
            "visit": visit,
            "task": task,
            "task_item": task_item,
            "task_file": task_file,
        },
    )


def _grid_task(grid: Any, users: RoleUsers, household: Any) -> tuple[Any, Any, Any]:
    """An open task of the street command to ``grid``: one item (done, with a photo) and one
    attachment."""
    from datetime import timedelta

    from django.utils import timezone

    from civicgrid.fieldwork.models import (
        ChecklistKind,
        GridTask,
        ItemStatus,
        TaskAttachment,
        TaskItem,
        TaskPart,
    )
    from civicgrid.testing.case_pages import png_bytes

    task = GridTask.objects.create(
        title=f"{MARK}任务",
        issuer=users.command,
        region_code=grid.code[:9],
        deadline=timezone.now() + timedelta(days=7),
        checklist=ChecklistKind.HOUSEHOLD,
    )
    part = TaskPart.objects.create(task=task, grid=grid, grid_code=grid.code)
    item = TaskItem(
        task=task,
        part=part,
        grid_code=grid.code,
        household=household,
        label=f"{MARK}事项",
        status=ItemStatus.DONE,
        done_by=users.worker,
        done_at=timezone.now(),
    )
    item.photo.save("matrix.png", ContentFile(png_bytes()), save=False)
    item.save()
    attachment = TaskAttachment(task=task, name="matrix.pdf", size=4, uploaded_by=users.command)
    attachment.file.save("matrix.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    return task, item, attachment


def _finished_patrol(grid: Any, worker: User) -> Any:
    """Yesterday morning's patrol of ``worker`` in ``grid``: a short walk with a few points."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from civicgrid.fieldwork.models import Patrol, TrackPoint
    from civicgrid.geo.geometry import to_shape

    started = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(9, 0))
    )
    centre = to_shape(grid.geometry).centroid
    patrol = Patrol.objects.create(
        worker=worker,
        grid=grid,
        grid_code=grid.code,
        started_at=started,
        ended_at=started + timedelta(minutes=3),
        client_key=f"{MARK}-patrol",
        duration_s=180,
        point_count=6,
    )
    TrackPoint.objects.bulk_create(
        TrackPoint(
            patrol=patrol,
            at=started + timedelta(seconds=30 * i),
            lat=centre.y + 0.0002 * i,
            lng=centre.x,
            accuracy=8,
        )
        for i in range(6)
    )
    return patrol


Sample = Callable[[World], dict[str, Any]]


def _pk(name: str, key: str = "pk") -> Sample:
    return lambda w: {key: w.objects[name].pk}


# Which object each HTML URL is about, by "namespace:name".
HTML_SAMPLES: dict[str, Sample] = {
    "accounts:account_edit": lambda w: {"pk": w.users.worker.pk},
    "accounts:account_password_reset": lambda w: {"pk": w.users.worker.pk},
    "accounts:account_toggle": lambda w: {"pk": w.users.worker.pk},
    "accounts:account_otp_reset": lambda w: {"pk": w.users.worker.pk},
    "geo:grid_detail": _pk("grid"),
    "geo:grid_split": _pk("grid"),
    "geo:grid_merge": _pk("grid"),
    "notifications:open": _pk("notification"),
    "notifications:read": _pk("notification"),
    "registry:grid_detail": _pk("grid"),
    "registry:building_detail": _pk("building"),
    "registry:building_edit": _pk("building"),
    "registry:dwelling_create": _pk("building", "building_pk"),
    "registry:dwelling_detail": _pk("dwelling"),
    "registry:dwelling_edit": _pk("dwelling"),
    "registry:household_create": _pk("dwelling", "dwelling_pk"),
    "registry:person_move_in": _pk("dwelling", "dwelling_pk"),
    "registry:household_detail": _pk("household"),
    "registry:person_create": _pk("household", "household_pk"),
    "registry:household_set_head": _pk("household"),
    "registry:person_merge": _pk("person"),
    "registry:person_detail": _pk("person"),
    "registry:person_edit": _pk("person"),
    "registry:person_unmask": _pk("person"),
    "registry:person_move_out": _pk("person"),
    "registry:person_deceased": _pk("person"),
    "registry:person_tag_add": _pk("person"),
    "registry:tag_end": _pk("tag"),
    "registry:verify": lambda w: {"kind": "person", "pk": w.objects["person"].pk},
    "registry:organization_detail": _pk("organization"),
    "registry:organization_edit": _pk("organization"),
    "registry:io_import": lambda w: {"kind": w.objects["job"].kind},
    "registry:io_template": lambda w: {"kind": w.objects["job"].kind, "extension": "xlsx"},
    "registry:io_job": _pk("job"),
    "registry:io_job_progress": _pk("job"),
    "registry:io_job_errors": _pk("job"),
    "registry:io_ledger_export": _pk("grid"),
    "registry:io_ledger_unmasked": _pk("grid"),
    "registry:io_ledger_print": _pk("grid"),
    "cases:detail": _pk("case"),
    "cases:act": lambda w: {"pk": w.objects["case"].pk, "action": "sign_for"},
    "cases:photo": lambda w: {
        "pk": w.objects["case"].pk,
        "photo_pk": w.objects["photo"].pk,
        "size": "thumb",
    },
    "integrations:key_revoke": lambda w: {"pk": _integrations_key(w).pk},
    "open311:discovery": lambda w: {"fmt": "json"},
    "open311:services": lambda w: {"fmt": "xml"},
    "open311:service_definition": lambda w: {"service_code": "0102", "fmt": "json"},
    "open311:requests": lambda w: {"fmt": "json"},
    "open311:request": lambda w: {"request_id": _open311_case(w).number, "fmt": "xml"},
    "open311:token": lambda w: {"token": _open311_case(w).number, "fmt": "json"},
    "fieldwork:detail": _pk("patrol"),
    "fieldwork:report": _pk("patrol"),
    "fieldwork:worker_calendar": lambda w: {"worker_id": w.objects["patrol"].worker_id},
    "fieldwork:visit_detail": _pk("visit"),
    "fieldwork:worklog_worker": lambda w: {"worker_id": w.users.worker.pk},
    "fieldwork:worklog_grid": lambda w: {"grid_id": w.objects["grid"].pk},
    "participation:community": lambda w: {"code": w.city.comm_a1.code},
    "participation:disclosure": lambda w: {"code": w.city.comm_a1.code},
    "participation:notice": lambda w: {"pk": _participation_public_notice(w).pk},
    "participation:notice_file": lambda w: {
        "pk": _participation_public_notice(w).pk,
        "file_pk": _participation_public_notice(w).attachments.get().pk,
    },
    "participation:card_photo": lambda w: {"pk": _participation_card(w).pk},
    "participation:manage_notice": lambda w: {"pk": _participation_notice(w).pk},
    "participation:manage_notice_act": lambda w: {
        "pk": _participation_notice(w).pk,
        "action": "submit",
    },
    "participation:manage_card": lambda w: {"pk": w.users.worker.pk},
    "participation:manage_resident_decide": lambda w: {"pk": _participation_claim(w).pk},
    "fieldwork:task_detail": _pk("task"),
    "fieldwork:task_close": _pk("task"),
    "fieldwork:task_withdraw": _pk("task"),
    "fieldwork:task_remind": _pk("task"),
    "fieldwork:task_item_add": _pk("task"),
    "fieldwork:task_file": lambda w: {
        "pk": w.objects["task"].pk,
        "file_pk": w.objects["task_file"].pk,
    },
    "fieldwork:task_item_photo": _pk("task_item"),
    "fieldwork:visit_photo": lambda w: {
        "pk": w.objects["visit"].pk,
        "photo_pk": _visit_photo(w).pk,
        "size": "thumb",
    },
    "gridteams:team_detail": _pk("grid"),
    "gridteams:member_add": _pk("grid"),
    "gridteams:member_leave": lambda w: {"pk": _gridteams_member(w).pk},
    "gridteams:party_detail": lambda w: {"pk": _gridteams_party_member(w).pk},
    "gridteams:link_add": lambda w: {"pk": _gridteams_party_member(w).pk},
    "gridteams:contact_add": lambda w: {"pk": _gridteams_party_member(w).pk},
    "gridteams:link_end": lambda w: {"pk": _gridteams_link(w).pk},
    **{
        f"jointmeetings:{name}": lambda w: {"pk": _joint_meeting(w).pk}
        for name in ("detail", "print", "agenda_add", "invite", "convene", "minutes", "close")
    },
    "jointmeetings:decide": lambda w: {"pk": _joint_item(w).pk},
    "jointmeetings:apply": lambda w: {"pk": _joint_item(w).pk},
    "assessment:report_download": lambda w: {"pk": _assessment_report(w).pk, "fmt": "pdf"},
    "volunteers:certificate": lambda w: {"year": _this_year()},
    "volunteers:activity": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:activity_signup": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:activity_cancel": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:activity_checkin": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:activity_checkout": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_volunteer": lambda w: {"pk": _vol_volunteer(w).pk},
    "volunteers:manage_certificate": lambda w: {"pk": _vol_volunteer(w).pk, "year": _this_year()},
    "volunteers:manage_team": lambda w: {"pk": _vol_team(w).pk},
    "volunteers:manage_activity": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_activity_edit": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_activity_signup": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_activity_attendance": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_activity_close": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_activity_cancel": lambda w: {"pk": _vol_activity(w).pk},
    "volunteers:manage_signup_hours": lambda w: {"pk": _vol_signup(w).pk},
}

# Which object each API path is about, by the path as the router declares it.
API_SAMPLES: dict[str, Sample] = {
    "/geo/grids/{pk}/split": _pk("grid"),
    "/registry/buildings/{pk}": _pk("building"),
    "/registry/dwellings/{pk}": _pk("dwelling"),
    "/registry/households/{pk}": _pk("household"),
    "/registry/households/{pk}/head": _pk("household"),
    "/registry/persons/{pk}": _pk("person"),
    "/registry/persons/{pk}/unmask": _pk("person"),
    "/registry/dwellings/{pk}/move-in": _pk("dwelling"),
    "/registry/persons/{pk}/move-out": _pk("person"),
    "/registry/persons/{pk}/deceased": _pk("person"),
    "/registry/{kind}/{pk}/verify": lambda w: {"kind": "person", "pk": w.objects["person"].pk},
    "/registry/organizations/{pk}": _pk("organization"),
    "/fieldwork/patrols/{pk}": _pk("patrol"),
    "/fieldwork/patrols/{pk}/points": _pk("patrol"),
    "/fieldwork/patrols/{pk}/end": _pk("patrol"),
    "/fieldwork/patrols/{pk}/cases": _pk("patrol"),
    "/fieldwork/patrols/{pk}/track": _pk("patrol"),
    "/fieldwork/compliance/{worker_id}": lambda w: {"worker_id": w.users.worker.pk},
    "/fieldwork/visits/{pk}": _pk("visit"),
    "/fieldwork/worklog/workers/{worker_id}": lambda w: {"worker_id": w.users.worker.pk},
    "/fieldwork/worklog/grids/{grid_id}": lambda w: {"grid_id": w.objects["grid"].pk},
    "/participation/communities/{code}": lambda w: {"code": w.city.comm_a1.code},
    "/participation/communities/{code}/disclosure": lambda w: {"code": w.city.comm_a1.code},
    "/participation/residents/{pk}/decide": lambda w: {"pk": _participation_claim(w).pk},
    "/participation/notices/{pk}": lambda w: {"pk": _participation_notice(w).pk},
    "/participation/notices/{pk}/{action}": lambda w: {
        "pk": _participation_notice(w).pk,
        "action": "submit",
    },
    "/fieldwork/tasks/{pk}": _pk("task"),
    "/fieldwork/tasks/{pk}/completion": _pk("task"),
    "/fieldwork/tasks/{pk}/items": _pk("task"),
    "/fieldwork/tasks/{pk}/close": _pk("task"),
    "/fieldwork/tasks/{pk}/withdraw": _pk("task"),
    "/fieldwork/tasks/{pk}/remind": _pk("task"),
    "/fieldwork/tasks/items/{pk}/tick": _pk("task_item"),
    "/participation/teams/grids/{pk}": _pk("grid"),
    "/participation/teams/grids/{pk}/members": _pk("grid"),
    "/participation/teams/members/{pk}/leave": lambda w: {"pk": _gridteams_member(w).pk},
    "/participation/teams/party-members/{pk}": lambda w: {"pk": _gridteams_party_member(w).pk},
    "/participation/teams/party-members/{pk}/links": lambda w: {
        "pk": _gridteams_party_member(w).pk
    },
    "/participation/teams/links/{pk}/end": lambda w: {"pk": _gridteams_link(w).pk},
    "/participation/teams/links/{pk}/contacts": lambda w: {"pk": _gridteams_link(w).pk},
    **{
        f"/participation/joint-meetings/{{pk}}{tail}": lambda w: {"pk": _joint_meeting(w).pk}
        for tail in ("", "/departments", "/agenda", "/convene", "/minutes", "/close")
    },
    "/participation/joint-meetings/items/{pk}/decision": lambda w: {"pk": _joint_item(w).pk},
    "/participation/joint-meetings/items/{pk}/apply": lambda w: {"pk": _joint_item(w).pk},
    "/assessment/reports/{pk}/{fmt}": lambda w: {"pk": _assessment_report(w).pk, "fmt": "pdf"},
    "/participation/volunteers/communities/{code}/activities": lambda w: {
        "code": w.city.comm_a1.code
    },
    "/participation/volunteers/communities/{code}/ranking": lambda w: {"code": w.city.comm_a1.code},
    "/participation/volunteers/activities/{pk}": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/activities/{pk}/signup": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/activities/{pk}/cancel": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/activities/{pk}/checkin": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/manage/activities/{pk}": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/manage/activities/{pk}/attendance": lambda w: {
        "pk": _vol_activity(w).pk
    },
    "/participation/volunteers/manage/activities/{pk}/close": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/manage/signups/{pk}/hours": lambda w: {"pk": _vol_signup(w).pk},
    "/participation/volunteers/activities/{pk}/checkout": lambda w: {"pk": _vol_activity(w).pk},
    "/participation/volunteers/manage/activities/{pk}/signups": lambda w: {
        "pk": _vol_activity(w).pk
    },
}


def _participation_notice(w: World) -> Any:
    from civicgrid.participation.testing import world_notice

    return world_notice(w)


def _participation_public_notice(w: World) -> Any:
    from civicgrid.participation.testing import world_public_notice

    return world_public_notice(w)


def _participation_claim(w: World) -> Any:
    from civicgrid.participation.testing import world_claim

    return world_claim(w)


def _participation_card(w: World) -> Any:
    from civicgrid.participation.testing import world_card

    return world_card(w)


def _assessment_report(w: World) -> Any:
    """A kept monthly report of street a (the command's street), with its files."""
    from civicgrid.assessment.models import AssessmentReport, ReportStatus

    report, created = AssessmentReport.objects.get_or_create(
        region_code=w.city.street_a.code,
        month=date(2026, 10, 1),
        defaults={
            "region_name": f"{MARK}街道",
            "status": ReportStatus.DONE,
            "requested_at": w.objects["case"].reported_at,
        },
    )
    if created:
        report.xlsx.save("matrix.xlsx", ContentFile(b"PK"), save=False)
        report.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4"), save=False)
        report.save()
    return report


def _joint_meeting(w: World) -> Any:
    from civicgrid.participation.joint.testing import world_meeting

    return world_meeting(w)


def _joint_item(w: World) -> Any:
    from civicgrid.participation.joint.testing import world_agenda_item

    return world_agenda_item(w)


def _visit_photo(w: World) -> Any:
    """A photo on the world's visit, made when a sample first asks for it."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from civicgrid.fieldwork.photos import store_visit_photos

    visit = w.objects["visit"]
    found = visit.photos.first()
    if found is not None:
        return found
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(out, format="JPEG")
    return store_visit_photos(visit, [(ContentFile(out.getvalue(), name="p.jpg"), "JPEG")])[0]


def _gridteams_member(w: World) -> Any:
    from civicgrid.participation.teams.testing import world_team_member

    return world_team_member(w)


def _gridteams_party_member(w: World) -> Any:
    from civicgrid.participation.teams.testing import world_party_member

    return world_party_member(w)


def _gridteams_link(w: World) -> Any:
    from civicgrid.participation.teams.testing import world_link

    return world_link(w)


def _integrations_key(w: World) -> Any:
    from civicgrid.integrations.testing import world_api_key

    return world_api_key(w)


def _open311_case(w: World) -> Any:
    from civicgrid.integrations.testing import world_open311_case

    return world_open311_case(w)


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _vol_team(w: World) -> Any:
    from civicgrid.participation.volunteers.testing import world_team

    return world_team(w)


def _vol_volunteer(w: World) -> Any:
    from civicgrid.participation.volunteers.testing import world_volunteer

    return world_volunteer(w)


def _vol_activity(w: World) -> Any:
    from civicgrid.participation.volunteers.testing import world_activity

    return world_activity(w)


def _vol_signup(w: World) -> Any:
    from civicgrid.participation.volunteers.testing import world_signup

    return world_signup(w)


def api_sample(path: str) -> Sample | None:
    if path in API_SAMPLES:
        return API_SAMPLES[path]
    if path.startswith("/cases/{case_id}"):
        return _pk("case", "case_id")
    return None


# 议事会 (councils): a council of community a1 with a convened meeting, its case item (resolved)
# and a proposal by the world's resident (participation/councils/testing.py).
def _councils(name: str) -> Sample:
    def sample(w: World) -> dict[str, Any]:
        from civicgrid.participation.councils.testing import world_councils

        return {"pk": world_councils(w)[name].pk}

    return sample


def _councils_act(name: str, action: str) -> Sample:
    return lambda w: {**_councils(name)(w), "action": action}


HTML_SAMPLES.update(
    {
        "councils:council": _councils("council"),
        "councils:council_act": _councils_act("council", "member"),
        "councils:meeting": _councils("meeting"),
        "councils:meeting_act": _councils_act("meeting", "attendance"),
        "councils:item_act": _councils_act("council_item", "note"),
        "councils:resolution": _councils("resolution"),
        "councils:proposal": _councils("proposal"),
        "councils:proposal_act": _councils_act("proposal", "support"),
    }
)
API_SAMPLES.update(
    {
        "/participation/councils/councils/{pk}": _councils("council"),
        "/participation/councils/councils/{pk}/members": _councils("council"),
        "/participation/councils/councils/{pk}/meetings": _councils("council"),
        "/participation/councils/meetings/{pk}": _councils("meeting"),
        "/participation/councils/meetings/{pk}/attendance": _councils("meeting"),
        "/participation/councils/meetings/{pk}/items": _councils("meeting"),
        "/participation/councils/meetings/{pk}/convene": _councils("meeting"),
        "/participation/councils/meetings/{pk}/close": _councils("meeting"),
        "/participation/councils/items/{pk}/discussion": _councils("council_item"),
        "/participation/councils/items/{pk}/votes": _councils("council_item"),
        "/participation/councils/items/{pk}/resolution": _councils("council_item"),
        "/participation/councils/resolutions/{pk}/progress": _councils("resolution"),
        "/participation/councils/proposals/{pk}": _councils("proposal"),
        "/participation/councils/proposals/{pk}/support": _councils("proposal"),
        "/participation/councils/proposals/{pk}/withdraw-support": _councils("proposal"),
        "/participation/councils/proposals/{pk}/decline": _councils("proposal"),
    }
)
