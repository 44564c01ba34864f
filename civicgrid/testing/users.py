"""Role users shared by every app's tests. Each is scoped as in a real street:
``worker`` to grid a1_west, ``cadre``/``secretary`` to community a1, ``command`` to street a,
``outsider`` is a grid worker of street b (sees nothing in street a)."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, Scope, User
from civicgrid.testing.city import TestCity


@dataclass
class RoleUsers:
    worker: User
    cadre: User
    secretary: User
    command: User
    sysadmin: User
    auditor: User
    department: User
    resident: User
    outsider: User
    dept: Department


def make_user(username: str, role: Role, *codes: str, department: Department | None = None) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        role=role,
        full_name=username,
        department=department,
    )
    for code in codes:
        Scope.objects.create(user=user, code=code)
    return user


def build_role_users(city: TestCity) -> RoleUsers:
    dept = Department.objects.create(code="cgj", name="城管局", region_code=city.district.code)
    return RoleUsers(
        worker=make_user("worker", Role.GRID_WORKER, city.grids["a1_west"].code),
        cadre=make_user("cadre", Role.CADRE, city.comm_a1.code),
        secretary=make_user("secretary", Role.SECRETARY, city.comm_a1.code),
        command=make_user("command", Role.COMMAND, city.street_a.code),
        sysadmin=make_user("sysadmin", Role.SYSADMIN, city.city.code),
        auditor=make_user("auditor", Role.AUDITOR, city.city.code),
        department=make_user("dept", Role.DEPARTMENT, department=dept),
        resident=make_user("resident", Role.RESIDENT),
        outsider=make_user("outsider", Role.GRID_WORKER, city.grids["b1"].code),
        dept=dept,
    )
