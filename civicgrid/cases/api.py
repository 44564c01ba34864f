"""Case API: the same services as the pages. One POST endpoint per workflow action, each with
its own documented input."""

from contextlib import nullcontext
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from civicgrid.accounts.choices import CASE_READERS, Role
from civicgrid.cases import schemas as s
from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case
from civicgrid.cases.photos import case_photo_add
from civicgrid.cases.presenters import audience_for, present_case, present_photo, present_row
from civicgrid.cases.selectors import (
    access_case,
    case_list,
    case_timeline,
    categories_tree,
    dispatch_members,
    duplicate_candidates,
)
from civicgrid.cases.services import (
    REPORTING_ROLES,
    Intake,
    case_dispatch_to_member,
    case_take_in,
    category_by_code,
)
from civicgrid.cases.workflow import (
    ACTING_ROLES,
    TRANSITIONS,
    TransitionError,
    allowed_actions,
    case_transition,
    default_department,
)
from civicgrid.core.idempotency import run_once
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, OBJECT, policy, via_api_key
from civicgrid.core.schemas import errors
from civicgrid.geo.models import Grid

router = Router(tags=["cases"])

# Staff who take in cases (the duplicate check at intake); residents do not see other cases.
STAFF_REPORTERS = REPORTING_ROLES - {Role.RESIDENT}


def _case(request: HttpRequest, case_id: int, *, for_write: bool = False) -> Case:
    try:
        return access_case(request.user, case_id, for_write=for_write)
    except PermissionDenied as exc:
        raise HttpError(403, "您只能查看该事件,不能办理") from exc


def _detail(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The case as the requesting user's audience sees it: the same presenter as the page."""
    return present_case(
        case,
        audience=audience_for(request.user),
        events=list(case_timeline(case)),
        actions=allowed_actions(case, request.user),
    )


def _action_roles(action: Action) -> frozenset[str]:
    """Who may take ``action`` at all, read from the workflow table (its one source)."""
    return frozenset(str(role) for m in TRANSITIONS if m.action == action for role in m.roles)


@router.get(
    "/categories",
    response=list[s.CategoryOut],
    summary="事件分类(大类及其小类)",
    auth=policy(roles=CASE_READERS).api,
)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": major.pk,
            "code": major.code,
            "name": major.name,
            "kind": major.kind,
            "children": major.current_children,  # type: ignore[attr-defined]
        }
        for major in categories_tree()
    ]


# The idempotency scope of POST /cases/ (core.idempotency.run_once).
CREATE_SCOPE = "cases.create"
IDEMPOTENCY_KEY_MAX = 64
Answer = s.CaseDetailOut | s.CaseReceiptOut


@router.post(
    "",
    response={200: Answer, 201: Answer, **errors(404, 422)},
    summary=(
        "上报事件(网格员、居民、热线、来访、上级交办;带 Idempotency-Key 头时,同一键重复提交"
        "只生成一个事件,返回同一事件,状态 200)"
    ),
    auth=policy(roles=REPORTING_ROLES).api,
)
def create_case(request: HttpRequest, payload: s.CaseIn) -> Status:
    # Categories come from the prepared lookups (services.intake_lookups), not a query.
    category = category_by_code(payload.category)
    if category is None:
        raise HttpError(422, f"未知的事件分类编码:{payload.category}")
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise HttpError(422, _("Idempotency-Key 最多 %(n)s 个字符") % {"n": IDEMPOTENCY_KEY_MAX})
    held: list[Intake] = []

    def take_in() -> tuple[int, dict[str, Any]]:
        held.append(_take_in(request, payload, category))
        return 201, {"id": held[0].case.pk}

    try:
        if not key:
            take_in()
        else:
            outcome = run_once(user=request.user, scope=CREATE_SCOPE, key=key, action=take_in)
            if outcome.replayed:
                # A resend: the case the first request made, as the caller may see it now.
                return Status(200, _answer_for(request, int(outcome.body["id"])))
    except ValidationError as exc:
        raise HttpError(422, ";".join(m for ms in exc.message_dict.values() for m in ms)) from exc
    return Status(201, _intake_detail(request, held[0]))


def _take_in(request: HttpRequest, payload: s.CaseIn, category: Any) -> Intake:
    user: Any = request.user
    by_key = via_api_key(request)
    # Only a key's intake needs the room to roll back; a person's stays one savepoint.
    with transaction.atomic() if by_key else nullcontext():
        intake = case_take_in(
            channel=payload.channel,
            category=category,
            description=payload.description,
            lat=payload.lat,
            lng=payload.lng,
            address=payload.address,
            reporter_name=payload.reporter_name,
            reporter_phone=payload.reporter_phone,
            urgent=payload.urgent,
            actor=user,
        )
        # An outside system is answerable for its own area only (as Open311 is); rolled back.
        if by_key and not user.in_scope(intake.case.grid_code, reads="cases"):
            raise ValidationError({"lat": [_("该地点不在本 API 密钥的管辖范围内,未受理")]})
    return intake


def _receipt(case: Case) -> dict[str, Any]:
    message = _(
        "已上报,事件编号 %(number)s。地点不在您的管辖范围内,已交由当地受理,您看不到它的详情。"
    ) % {"number": case.number}
    return {"id": case.pk, "number": case.number, "message": message}


def _answer_for(request: HttpRequest, case_id: int) -> dict[str, Any]:
    try:
        return _detail(request, access_case(request.user, case_id))
    except Http404:
        return _receipt(Case.objects.only("number").get(pk=case_id))


def _sees_new_case(user: Any, case: Case) -> bool | None:
    """``Case.objects.visible_to(user)`` for a case intake has just written, decided on the
    objects in hand (None: ask the database). A staff member's report may lie outside their
    jurisdiction (a point in a neighbour's grid): they then get a receipt, not the detail."""
    if not user.reads("cases"):
        return False
    if user.sees_everything:
        return True
    if user.role == Role.RESIDENT:
        return bool(case.reporter_id == user.pk)
    if user.role == Role.DEPARTMENT:
        return None
    return bool(user.in_scope(case.grid_code, reads="cases"))


def _intake_detail(request: HttpRequest, intake: Intake) -> dict[str, Any]:
    """The new case as ``GET /cases/<id>`` shows it, built from the objects intake holds
    instead of reading them back (docs/architecture.md "Cases: intake"); only the grid with
    its community is read, for the place."""
    case, event = intake.case, intake.event
    seen = _sees_new_case(request.user, case)
    if seen is None:
        return _answer_for(request, case.pk)
    if not seen:
        # Filed where it happened, which is not theirs to see (access_case would say 404).
        return _receipt(case)
    if case.grid_id is not None:
        # Only what the presenter shows of it (the geometry is the bulk of a grid row).
        case.grid = (
            Grid.objects.select_related("community")
            .only("code", "name", "community__code", "community__short_name")
            .get(pk=case.grid_id)
        )
    # The timeline's photos, as case_timeline's prefetch would give them.
    photos = event.photos.none()
    photos._result_cache = list(intake.photos)
    photos._prefetch_done = True  # type: ignore[attr-defined]
    event._prefetched_objects_cache = {"photos": photos}  # type: ignore[attr-defined]
    return present_case(
        case,
        audience=audience_for(request.user),
        events=[event],
        actions=allowed_actions(case, request.user),
        loose_photos=[],
    )


@router.get(
    "",
    response=s.CasePageOut,
    summary="事件列表(按管辖范围,可筛选,分页)",
    auth=policy(roles=CASE_READERS, scope=LIST).api,
)
def list_cases(request: HttpRequest, filters: Query[s.CaseFilter]) -> dict[str, Any]:
    now = timezone.now()
    wanted = filters.dict(exclude={"page", "size"})
    page = paginate(request, case_list(request.user, now=now, **wanted))
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "capped": page.paginator.capped,
        "next": page.next_cursor,
        "items": [present_row(c, now=now) for c in page.object_list],
    }


@router.get(
    "/{case_id}",
    response={200: s.CaseDetailOut, **errors(404)},
    summary="事件详情及办理过程(居民看到公开的办理进度)",
    auth=policy(roles=CASE_READERS, scope=OBJECT).api,
)
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _detail(request, _case(request, case_id))


@router.get(
    "/{case_id}/duplicates",
    response={200: list[s.DuplicateOut], **errors(404)},
    summary="疑似重复事件(同类、未办结、附近、近期)",
    auth=policy(roles=STAFF_REPORTERS, scope=OBJECT).api,
)
def case_duplicates(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    found = [
        c
        for c in duplicate_candidates(
            category=case.category, lat=case.lat, lng=case.lng, at=case.reported_at
        )
        if c.pk != case.pk
    ]
    visible = set(
        Case.objects.visible_to(request.user)
        .filter(pk__in=[c.pk for c in found])
        .values_list("pk", flat=True)
    )
    return [
        {
            "id": c.pk,
            "number": c.number,
            "status_label": c.get_status_display(),
            "distance_m": c.distance_m,  # type: ignore[attr-defined]
            "reported_at": c.reported_at,
            "description": c.description,
        }
        for c in found
        if c.pk in visible
    ]


@router.post(
    "/{case_id}/photos",
    response={201: s.PhotoOut, **errors(400, 403, 404, 422)},
    summary="上传事件照片(JPG/PNG/WebP)",
    auth=policy(roles=ACTING_ROLES, scope=OBJECT).api,
)
def upload_photo(request: HttpRequest, case_id: int, image: File[UploadedFile]) -> Status:
    case = _case(request, case_id, for_write=True)
    try:
        photo = case_photo_add(case=case, image=image, uploaded_by=request.user)
    except ValidationError as exc:
        raise HttpError(422, ";".join(exc.messages)) from exc
    return Status(201, present_photo(photo))


# --- one endpoint per action -----------------------------------------------------------------

ACTION_ENDPOINTS: list[tuple[Action, type[Schema], str]] = [
    (Action.ACCEPT, s.NoteIn, "立案:受理事件"),
    (Action.VOID, s.ReasonIn, "注销:不予立案(须填理由)"),
    (Action.ROUTE, s.RouteIn, "分流:社区处置 / 议事会协商 / 上报街道 / 派遣部门"),
    (Action.DISPATCH, s.DispatchIn, "派遣:派往职能部门"),
    (Action.SIGN_FOR, s.NoteIn, "签收派遣的事件"),
    (Action.RETURN, s.ReasonIn, "回退:非本部门职责,退回重新派遣"),
    (Action.FEEDBACK, s.FeedbackIn, "处置反馈"),
    (Action.REQUEST_EXTENSION, s.ExtensionRequestIn, "申请延期"),
    (Action.APPROVE_EXTENSION, s.ExtensionApproveIn, "批准延期"),
    (Action.REJECT_EXTENSION, s.ReasonIn, "驳回延期申请"),
    (Action.DEFER, s.ReasonIn, "缓办(暂停计时)"),
    (Action.HOLD, s.ReasonIn, "挂账(长期无法解决)"),
    (Action.RESUME, s.NoteIn, "恢复办理"),
    (Action.VERIFY, s.NoteIn, "核查通过并结案"),
    (Action.REWORK, s.ReasonIn, "核查不通过,返工"),
    (Action.EVALUATE, s.EvaluateIn, "评价办理结果"),
    (Action.REOPEN, s.ReasonIn, "不满意,重新办理"),
    (Action.SUPERVISE, s.SuperviseIn, "督办(可设新时限)"),
    (Action.REASSIGN, s.ReassignIn, "转交其他经办人"),
    (Action.MERGE, s.MergeIn, "合并到主事件(重复上报)"),
]


def _team_assignee(case: Case, person_pk: int, department: Any) -> Any:
    """The person named at dispatch, with the page's checks (cases.forms.DispatchForm): one of
    the people ``selectors.dispatch_members`` offers for the case, and a member of the
    department chosen (or of the one the responsibility list names when none is chosen)."""
    person = next((u for u in dispatch_members(case) if u.pk == person_pk), None)
    if person is None:
        raise HttpError(422, _("所选人员不是该网格团队的部门成员"))
    if department is None:
        named = default_department(case)
        department = named.pk if named is not None else None
    if department is not None and person.department_id != department:
        raise HttpError(422, _("所选人员不属于承办部门,请重新选择"))
    return person


def _act(request: HttpRequest, case_id: int, action: Action, payload: Schema) -> dict[str, Any]:
    case = _case(request, case_id, for_write=True)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    note = data.pop("note", "")
    if action == Action.MERGE:
        data["into"] = _case(request, data["into"])
    try:
        if action == Action.DISPATCH and data.get("assignee") is not None:
            person = _team_assignee(case, data.pop("assignee"), data.get("department"))
            case_dispatch_to_member(case=case, actor=request.user, person=person, note=note, **data)
        else:
            case_transition(case=case, action=action, actor=request.user, note=note, **data)
    except TransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    return _detail(request, case)


def _register(action: Action, schema: type[Schema], summary: str) -> None:
    def endpoint(request: HttpRequest, case_id: int, payload: Any) -> dict[str, Any]:
        return _act(request, case_id, action, payload)

    # Ninja reads the input type from the annotation, so each action gets its own.
    endpoint.__annotations__["payload"] = schema
    endpoint.__name__ = f"case_{action.value}"
    router.post(
        f"/{{case_id}}/{action.value}",
        # Dispatch refuses a named assignee who is not in the grid's team (422).
        response={
            200: s.CaseDetailOut,
            **(errors(403, 404, 409, 422) if action == Action.DISPATCH else errors(403, 404, 409)),
        },
        summary=summary,
        operation_id=f"case_{action.value}",
        auth=policy(roles=_action_roles(action), scope=OBJECT).api,
    )(endpoint)


for _action, _schema, _summary in ACTION_ENDPOINTS:
    _register(_action, _schema, _summary)
