"""Indicators, weights and grade bands from the standard (CJ/T 292 style formulas, the Jinhua
按期结案率 and local field-work practice). The system administrator changes weights and bands
in the admin; these are the starting values."""

from django.db import migrations

# code, name, levels, numerator, denominator, direction, description, active
INDICATORS = [
    (
        "valid_report_rate",
        "有效上报率",
        ["worker", "grid"],
        ["reported_valid"],
        ["reported"],
        "higher",
        "有效上报数 ÷ 上报数;被注销的上报不算有效",
        True,
    ),
    (
        "missed_rate",
        "漏报率",
        ["worker", "grid"],
        ["missed"],
        ["grid_reported"],
        "lower",
        "漏报数 ÷ 网格内上报总数;漏报 = 网格内由非本网格网格员首报的事件,记在本网格网格员名下;"
        "得分 = 100 − 漏报率",
        True,
    ),
    (
        "confirm_on_time_rate",
        "按时核实率",
        ["worker", "grid"],
        ["verified_on_time"],
        ["verified"],
        "higher",
        "本系统的工作流没有单独的核实环节(公众诉求由社区受理),暂不计分",
        False,
    ),
    (
        "check_on_time_rate",
        "按时核查率",
        ["worker", "grid"],
        ["verified_on_time"],
        ["verified"],
        "higher",
        "按时核查数 ÷ 核查数;核查通过和核查不通过返工都是一次核查",
        True,
    ),
    (
        "patrol_rate",
        "一日双巡达标率",
        ["worker", "grid"],
        ["patrol_compliant_days"],
        ["patrol_days"],
        "higher",
        "达标天数 ÷ 应巡天数(一日双巡判定结果)",
        True,
    ),
    (
        "visit_rate",
        "走访完成率",
        ["worker", "grid"],
        ["visits_done"],
        ["visits_due"],
        "higher",
        "走访次数 ÷ 应走访次数;应走访数尚无按日记录,暂不计分",
        False,
    ),
    (
        "accept_on_time_rate",
        "按时立案率",
        ["community", "street", "district"],
        ["accepted_on_time"],
        ["accepted"],
        "higher",
        "按时立案数 ÷ 立案数",
        True,
    ),
    (
        "accurate_accept_rate",
        "准确立案率",
        ["community", "street", "district"],
        ["accepted", "-merged_after_accept"],
        ["accepted"],
        "higher",
        "(立案数 − 立案后被合并的重复案件数) ÷ 立案数",
        True,
    ),
    (
        "dispatch_on_time_rate",
        "按时派遣率",
        ["street", "district"],
        ["dispatched_on_time"],
        ["dispatched"],
        "higher",
        "按时派遣数 ÷ 派遣数",
        True,
    ),
    (
        "accurate_dispatch_rate",
        "准确派遣率",
        ["street", "district"],
        ["dispatched", "-returned"],
        ["dispatched"],
        "higher",
        "(派遣数 − 部门回退数) ÷ 派遣数",
        True,
    ),
    (
        "dispose_on_time_rate",
        "按时处置率",
        ["department", "community", "street", "district"],
        ["disposed_on_time"],
        ["disposed"],
        "higher",
        "按时处置数 ÷ 处置数",
        True,
    ),
    (
        "dispose_rate",
        "处置率",
        ["department"],
        ["disposed"],
        ["dispatched"],
        "higher",
        "处置数 ÷ 派遣数(应处置数)",
        True,
    ),
    (
        "rework_rate",
        "返工率",
        ["department", "community", "street", "district"],
        ["reworked"],
        ["disposed"],
        "lower",
        "返工案件数 ÷ 处置数;每个案件只在首次返工时计一次;得分 = 100 − 返工率",
        True,
    ),
    (
        "extension_rate",
        "延期率",
        ["department", "street", "district"],
        ["extended"],
        ["dispatched"],
        "lower",
        "批准延期数 ÷ 派遣数;得分 = 100 − 延期率",
        True,
    ),
    (
        "close_rate",
        "结案率",
        ["department", "community", "street", "district"],
        ["closed"],
        ["due_to_close"],
        "higher",
        "结案数 ÷ 应结案数",
        True,
    ),
    (
        "close_on_time_rate",
        "按期结案率",
        ["department", "community", "street", "district"],
        ["closed_on_time"],
        ["due_to_close", "-deferred"],
        "higher",
        "按期结案数 ÷ (应结案数 − 缓办数);记在处置时限到期当日",
        True,
    ),
    (
        "satisfaction_rate",
        "满意率",
        ["department", "community", "street", "district"],
        ["satisfied"],
        ["evaluated"],
        "higher",
        "满意和基本满意的评价数 ÷ 评价数",
        True,
    ),
]

WEIGHTS = {
    # 监督员: 有效上报率 40% + 漏报率分值 20% + 按时核实率 20% + 按时核查率 20% (the standard),
    # and 一日双巡 as local practice weighs basic field work.
    "worker": {
        "valid_report_rate": 40,
        "missed_rate": 20,
        "confirm_on_time_rate": 20,
        "check_on_time_rate": 20,
        "patrol_rate": 20,
        "visit_rate": 10,
    },
    "grid": {
        "valid_report_rate": 30,
        "missed_rate": 20,
        "check_on_time_rate": 20,
        "patrol_rate": 20,
        "visit_rate": 10,
    },
    # 值班长/受理员 style for the community desk: 按时立案 25, 准确立案 40, 按时结案 35.
    "community": {
        "accept_on_time_rate": 25,
        "accurate_accept_rate": 40,
        "close_on_time_rate": 35,
        "satisfaction_rate": 10,
    },
    # 派遣员: 按时派遣 40, 准确派遣 40, plus the street's own results.
    "street": {
        "accept_on_time_rate": 10,
        "accurate_accept_rate": 10,
        "dispatch_on_time_rate": 30,
        "accurate_dispatch_rate": 30,
        "close_on_time_rate": 20,
        "satisfaction_rate": 10,
    },
    "district": {
        "dispatch_on_time_rate": 20,
        "accurate_dispatch_rate": 20,
        "close_rate": 20,
        "close_on_time_rate": 30,
        "satisfaction_rate": 10,
    },
    "department": {
        "dispose_on_time_rate": 25,
        "dispose_rate": 15,
        "rework_rate": 15,
        "extension_rate": 10,
        "close_rate": 10,
        "close_on_time_rate": 15,
        "satisfaction_rate": 10,
    },
}

BANDS = [("A", 90), ("B", 75), ("C", 60), ("D", 40), ("E", 0)]


def seed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    Indicator = apps.get_model("assessment", "Indicator")
    Weight = apps.get_model("assessment", "IndicatorWeight")
    Band = apps.get_model("assessment", "GradeBand")
    by_code = {}
    for order, (code, name, levels, num, den, direction, desc, active) in enumerate(INDICATORS):
        by_code[code], _ = Indicator.objects.using(db).update_or_create(
            code=code,
            defaults=dict(
                name=name,
                levels=levels,
                numerator=num,
                denominator=den,
                direction=direction,
                description=desc,
                active=active,
                order=order,
            ),
        )
    for level, weights in WEIGHTS.items():
        for code, weight in weights.items():
            Weight.objects.using(db).update_or_create(
                level=level, indicator=by_code[code], defaults={"weight": weight}
            )
    for grade, low in BANDS:
        Band.objects.using(db).update_or_create(grade=grade, defaults={"min_score": low})


def unseed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    apps.get_model("assessment", "IndicatorWeight").objects.using(db).all().delete()
    apps.get_model("assessment", "Indicator").objects.using(db).all().delete()
    apps.get_model("assessment", "GradeBand").objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_daily_facts_indicators_results")]
    operations = [migrations.RunPython(seed, unseed)]
