"""Demo accounts, one per role, with the scopes they would have in a real street."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission

from civicgrid.accounts.choices import Role
from civicgrid.accounts.demo import DEMO_PASSWORD
from civicgrid.accounts.models import Department, Scope, User
from civicgrid.geo.demo import DemoCity
from civicgrid.geo.models import Region


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    scopes: tuple[str, ...]
    note: str


def demo_accounts(city: DemoCity) -> list[DemoAccount]:
    street = city.streets[0]
    community = city.communities[0]
    grid = city.grids[0]
    other_street = city.streets[-1]
    district = Region.objects.get(code=street.code[:6])
    return [
        DemoAccount("admin", "王系统", Role.SYSADMIN, ("5201",), "系统管理员(配置、Django 后台)"),
        DemoAccount("security", "李安全", Role.SECADMIN, (), "安全管理员(账户与权限)"),
        DemoAccount("auditor", "赵审计", Role.AUDITOR, ("5201",), "审计管理员(只读,查看审计记录)"),
        DemoAccount(
            "command", "陈指挥", Role.COMMAND, (street.code,), f"{street.short_name}网格管理中心"
        ),
        # A district command centre: the district's screen, rankings of its streets and its
        # monthly report (a street's command sees only its street).
        DemoAccount(
            "district",
            "孙指挥",
            Role.COMMAND,
            (district.code,),
            f"{district.name}网格化服务管理中心",
        ),
        DemoAccount(
            "command2",
            "周指挥",
            Role.COMMAND,
            (other_street.code,),
            f"{other_street.short_name}网格管理中心",
        ),
        DemoAccount(
            "secretary", "刘书记", Role.SECRETARY, (community.code,), f"{community.short_name}书记"
        ),
        DemoAccount(
            "cadre", "杨片长", Role.CADRE, (community.code,), f"{community.short_name}社区干部"
        ),
        DemoAccount("gridworker", "张网格", Role.GRID_WORKER, (grid.code,), f"{grid.name}网格员"),
        DemoAccount("dept", "黄部门", Role.DEPARTMENT, (), "区城市管理局经办人"),
        DemoAccount("resident", "吴居民", Role.RESIDENT, (), "居民"),
    ]


DEMO_DEPARTMENTS = [
    ("cgj", "区城市管理局"),
    ("sw", "区水务局"),
    ("zjj", "区住房和城乡建设局"),
    ("gaj", "公安分局"),
    ("scjg", "区市场监督管理局"),
    ("hbj", "生态环境分局"),
]


def build_accounts(city: DemoCity) -> list[DemoAccount]:
    # Every district has its own departments: a case is dispatched only to a department of the
    # district it lies in (cases.workflow.dispatch_departments). The first district's keep the
    # plain codes the demo accounts and the README name; the others carry their district code.
    from civicgrid.geo.models import Region

    first = city.streets[0].code[:6]
    districts = sorted({street.code[:6] for street in city.streets}, key=lambda c: c != first)
    names = dict(Region.objects.filter(code__in=districts).values_list("code", "short_name"))
    departments: dict[str, Department] = {}
    for district in districts:
        for code, name in DEMO_DEPARTMENTS:
            key = code if district == first else f"{code}-{district}"
            # The district's own name already ends in 区 (or 县, 市): "云岩区" + "城市管理局".
            label = (
                name
                if district == first
                else f"{names.get(district, district)}{name.removeprefix('区')}"
            )
            departments[key] = Department.objects.create(code=key, name=label, region_code=district)
    accounts = demo_accounts(city)
    for account in accounts:
        user = User(
            username=account.username,
            full_name=account.full_name,
            role=account.role,
            is_staff=account.role == Role.SYSADMIN,
            department=departments["cgj"] if account.role == Role.DEPARTMENT else None,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        for code in account.scopes:
            Scope.objects.create(user=user, code=code)
        if account.role == Role.SYSADMIN:
            # 三权分立: the system administrator configures; reading the audit trail and
            # seeing personal data in clear belong to other roles.
            user.user_permissions.set(
                Permission.objects.exclude(codename__icontains="auditentry").exclude(
                    codename__in=["unmask_pii", "view_special_groups"]
                )
            )
    # Every other grid gets a grid worker too, so grid cards are never empty.
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(7)
    workers = []
    for grid in city.grids[1:]:
        workers.append(
            User(
                username=f"gw{grid.code}",
                full_name=fake.name(),
                role=Role.GRID_WORKER,
                password="!",  # unusable: demo login is through the named accounts
                phone=f"0851-{8000_0000 + int(grid.code[-6:]) % 10_000_000:08d}"[:14],
            )
        )
    User.objects.bulk_create(workers, batch_size=2000)
    created = {u.username: u.pk for u in User.objects.filter(username__startswith="gw")}
    Scope.objects.bulk_create(
        [Scope(user_id=created[f"gw{g.code}"], code=g.code) for g in city.grids[1:]],
        batch_size=2000,
    )
    return accounts
