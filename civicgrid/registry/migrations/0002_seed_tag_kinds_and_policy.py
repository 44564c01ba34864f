"""Seed the care and special groups (GB/T 31000 data groups), the person fields the
completeness audit requires and the default audit thresholds. All of it is admin-editable."""

from django.db import migrations

RISK_LEVEL = {"label": "风险等级", "type": "int", "min": 0, "max": 5, "required": True}
CORRECTION_TYPE = {
    "label": "矫正类型",
    "type": "choice",
    "required": True,
    "choices": [
        ["surveillance", "管制"],
        ["probation", "缓刑"],
        ["parole", "假释"],
        ["outside_custody", "暂予监外执行"],
    ],
}
ATTENTION_LEVEL = {
    "label": "关注程度",
    "type": "choice",
    "required": True,
    "choices": [["general", "一般关注"], ["key", "重点关注"], ["strict", "严密关注"]],
}
YOUTH_TYPE = {
    "label": "青少年类型",
    "type": "choice",
    "required": False,
    "choices": [
        ["dropout", "闲散青少年"],
        ["misbehaving", "有不良行为青少年"],
        ["left_behind", "流浪乞讨未成年人"],
        ["offender_child", "服刑人员未成年子女"],
        ["other", "其他"],
    ],
}

TAG_KINDS = [
    # code, name, group, sensitive, schema
    ("elderly_alone", "独居老人", "care", False, {}),
    ("empty_nest", "空巢老人", "care", False, {}),
    (
        "disabled",
        "残疾人",
        "care",
        False,
        {"grade": {"label": "残疾等级", "type": "int", "min": 1, "max": 4}},
    ),
    ("low_income", "低保对象", "care", False, {}),
    ("extreme_poverty", "特困人员", "care", False, {}),
    ("veteran", "退役军人", "care", False, {}),
    ("left_behind_child", "留守儿童", "care", False, {}),
    ("left_behind_elderly", "留守老人", "care", False, {}),
    (
        "released_prisoner",
        "刑满释放人员",
        "special",
        True,
        {"released_on": {"label": "释放日期", "type": "text"}},
    ),
    ("community_correction", "社区矫正对象", "special", True, {"correction_type": CORRECTION_TYPE}),
    ("drug_user", "吸毒人员", "special", True, {}),
    ("mental_disorder", "严重精神障碍患者", "special", True, {"risk_level": RISK_LEVEL}),
    ("cult_member", "邪教人员", "special", True, {}),
    ("aids", "艾滋病危险人员", "special", True, {}),
    (
        "key_youth",
        "重点青少年",
        "key_youth",
        True,
        {"attention_level": ATTENTION_LEVEL, "youth_type": YOUTH_TYPE},
    ),
]

REQUIRED = [
    ("name", "姓名"),
    ("id_number", "证件号码"),
    ("phone", "联系电话"),
    ("ethnicity", "民族"),
    ("dwelling", "现住房屋"),
    ("education", "文化程度"),
    ("marital_status", "婚姻状况"),
    ("political_status", "政治面貌"),
]


def seed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    TagKind = apps.get_model("registry", "TagKind")
    RequiredField = apps.get_model("registry", "RequiredField")
    LedgerPolicy = apps.get_model("registry", "LedgerPolicy")
    for order, (code, name, group, sensitive, schema) in enumerate(TAG_KINDS):
        TagKind.objects.using(db).update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "sensitive": sensitive,
                "attribute_schema": schema,
                "order": order,
            },
        )
    for field_name, label in REQUIRED:
        RequiredField.objects.using(db).get_or_create(
            field_name=field_name, defaults={"label": label}
        )
    if not LedgerPolicy.objects.using(db).exists():
        LedgerPolicy.objects.using(db).create()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_ledgers")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
