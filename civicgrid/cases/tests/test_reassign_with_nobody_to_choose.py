"""转交 with nobody to hand over to says so, instead of an empty list."""

from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.forms import ReassignForm
from civicgrid.cases.models import Case
from civicgrid.testing.cases import put_in_status
from civicgrid.testing.users import RoleUsers


def test_a_clerk_alone_in_the_department_is_told_why(users: RoleUsers, case: Case) -> None:
    handling = put_in_status(case, CaseStatus.HANDLING, department=users.dept)
    form = ReassignForm(case=handling, actor=users.department)
    rendered = str(form["assignee"])
    assert "暂无可接手的人员" in rendered
    assert "联系管理员" in str(form.fields["assignee"].help_text)
