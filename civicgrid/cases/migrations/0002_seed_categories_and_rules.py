"""Seed the category tree and a default responsibility list.

Event classes follow the urban-management event standard (市容环境, 宣传广告, 施工管理,
突发事件, 街面秩序, 扩展事件); 11–22 are the community work areas. Time limits follow the
published examples (intake and dispatch within the hour, emergencies within minutes, exposed
rubbish in 4 working hours, verification in 1–2 hours) and are meant to be edited in the
admin. Re-running adds only what is missing (codes are natural keys)."""

from django.db import migrations

EVENT, COMMUNITY = "event", "community"

# (大类 code, name, kind, level, [(小类 suffix, name, keywords)])
TREE = [
    (
        "01",
        "市容环境",
        EVENT,
        "street",
        [
            ("01", "私搭乱建", "违建 搭建 违章建筑"),
            ("02", "暴露垃圾", "垃圾 堆放 垃圾桶 满溢"),
            ("03", "积存垃圾渣土", "渣土 建筑垃圾"),
            ("04", "道路不洁", "路面 脏 污渍 油污"),
            ("05", "水域不洁", "河道 漂浮物 水面"),
            ("06", "乱涂乱画", "涂鸦 乱写"),
        ],
    ),
    (
        "02",
        "宣传广告",
        EVENT,
        "street",
        [
            ("01", "非法小广告", "小广告 牛皮癣 张贴"),
            ("02", "违规悬挂横幅", "横幅 标语"),
            ("03", "占道广告牌", "广告牌 立牌"),
            ("04", "广告招牌破损", "招牌 破损 脱落"),
        ],
    ),
    (
        "03",
        "施工管理",
        EVENT,
        "street",
        [
            ("01", "施工扰民", "噪音 夜间施工"),
            ("02", "工地扬尘", "扬尘 灰尘 未覆盖"),
            ("03", "道路遗撒", "遗撒 撒漏 渣土车"),
            ("04", "无证掘路", "挖路 开挖"),
        ],
    ),
    (
        "04",
        "突发事件",
        EVENT,
        "street",
        [
            ("01", "路面塌陷", "塌陷 坑洞"),
            ("02", "供水管道破裂", "漏水 爆管 水管"),
            ("03", "燃气泄漏", "燃气 煤气 气味"),
            ("04", "道路积水", "积水 内涝"),
            ("05", "火情隐患", "火灾 冒烟 消防"),
        ],
    ),
    (
        "05",
        "街面秩序",
        EVENT,
        "street",
        [
            ("01", "占道经营", "摆摊 占道 流动摊贩"),
            ("02", "店外经营", "出店 门前"),
            ("03", "机动车乱停放", "乱停 停车 车辆"),
            ("04", "非机动车乱停放", "共享单车 电动车"),
            ("05", "露天烧烤", "烧烤 油烟"),
        ],
    ),
    (
        "06",
        "扩展事件",
        EVENT,
        "street",
        [
            ("01", "路灯不亮", "路灯 照明"),
            ("02", "井盖缺失破损", "井盖 窨井"),
            ("03", "公共设施损坏", "设施 栏杆 座椅"),
            ("04", "绿地毁损", "绿化 草坪 树木"),
        ],
    ),
    ("11", "党建", COMMUNITY, "community", [("01", "党员服务", "党员 组织关系")]),
    (
        "12",
        "自治",
        COMMUNITY,
        "council",
        [
            ("01", "居民议事", "议事 协商 公约"),
            ("02", "小区公共事务", "加装电梯 停车位 公共收益"),
        ],
    ),
    ("13", "社区服务", COMMUNITY, "community", [("01", "便民服务", "证明 办事 咨询")]),
    ("14", "文体", COMMUNITY, "community", [("01", "文体活动", "活动 场地 健身")]),
    (
        "15",
        "卫生与环境",
        COMMUNITY,
        "community",
        [
            ("01", "环境卫生", "卫生 清洁"),
            ("02", "病媒防制", "老鼠 蚊虫 蟑螂"),
        ],
    ),
    (
        "16",
        "综治/矛盾纠纷调解",
        COMMUNITY,
        "community",
        [
            ("01", "邻里纠纷", "邻居 纠纷 噪音 漏水"),
            ("02", "物业纠纷", "物业 物业费"),
            ("03", "治安隐患", "治安 可疑 安全"),
        ],
    ),
    (
        "17",
        "劳动保障",
        COMMUNITY,
        "community",
        [
            ("01", "就业援助", "就业 失业 培训"),
            ("02", "欠薪求助", "工资 欠薪 拖欠"),
        ],
    ),
    (
        "18",
        "民政服务",
        COMMUNITY,
        "community",
        [
            ("01", "低保救助", "低保 救助 困难"),
            ("02", "养老服务", "老人 养老 独居"),
            ("03", "残疾人服务", "残疾 助残"),
        ],
    ),
    ("19", "计划生育", COMMUNITY, "community", [("01", "计生服务", "生育 计生")]),
    (
        "20",
        "城市管理",
        COMMUNITY,
        "community",
        [
            ("01", "违规养犬", "犬 狗 遛狗"),
            ("02", "楼道堆物", "楼道 堆物 消防通道"),
        ],
    ),
    ("21", "食品安全", COMMUNITY, "street", [("01", "食品安全隐患", "食品 过期 卫生许可")]),
    (
        "22",
        "其他政务",
        COMMUNITY,
        "community",
        [
            ("01", "政策咨询", "政策 咨询"),
            ("99", "其他", ""),
        ],
    ),
]

# (accept, dispatch, handle, verify) as (amount, unit)
NORMAL = ((1, "hours"), (1, "hours"), (3, "days"), (2, "hours"))
URGENT = ((0.25, "hours"), (0.25, "hours"), (4, "hours"), (1, "hours"))
# Per-小类 handle limits from the published examples.
HANDLE_OVERRIDES = {"0102": (4, "hours"), "0601": (1, "days"), "0101": (7, "days")}


def _rule_fields(limits):
    names = ("accept", "dispatch", "handle", "verify")
    fields = {}
    for name, (amount, unit) in zip(names, limits, strict=True):
        fields[f"{name}_limit"] = amount
        fields[f"{name}_unit"] = unit
    return fields


def seed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    Category = apps.get_model("cases", "Category")
    Rule = apps.get_model("cases", "ResponsibilityRule")
    for code, name, kind, level, children in TREE:
        major, _ = Category.objects.using(db).get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
        for suffix, child, keywords in children:
            minor, _ = Category.objects.using(db).get_or_create(
                code=code + suffix,
                defaults={"name": child, "kind": kind, "parent": major, "keywords": keywords},
            )
            if minor.code in HANDLE_OVERRIDES:
                limits = (NORMAL[0], NORMAL[1], HANDLE_OVERRIDES[minor.code], NORMAL[3])
                Rule.objects.using(db).get_or_create(
                    category=minor,
                    region_prefix="",
                    urgent=False,
                    retired_on=None,
                    defaults={"level": level, **_rule_fields(limits)},
                )
        Rule.objects.using(db).get_or_create(
            category=major,
            region_prefix="",
            urgent=False,
            retired_on=None,
            defaults={"level": level, **_rule_fields(NORMAL)},
        )
        if code == "04":
            Rule.objects.using(db).get_or_create(
                category=major,
                region_prefix="",
                urgent=True,
                retired_on=None,
                defaults={"level": level, **_rule_fields(URGENT)},
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_categories_rules_events")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
