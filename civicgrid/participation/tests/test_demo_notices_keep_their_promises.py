import random
from types import SimpleNamespace

import pytest

from civicgrid.participation.demo import build_participation
from civicgrid.participation.models import Notice
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_no_demo_notice_points_residents_to_an_attachment_it_does_not_have(
    users: RoleUsers,
) -> None:
    build_participation(SimpleNamespace(rng=random.Random(1)))
    notices = Notice.objects.all()
    assert notices.exists()
    promised = [n.title for n in notices if "附件" in n.body and not n.attachments.exists()]
    assert promised == []
