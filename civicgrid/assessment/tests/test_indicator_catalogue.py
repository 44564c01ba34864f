"""The catalogue shows each indicator's formula from its measures (the subtraction of 缓办
included) and its weights; a resident and the auditor are refused it."""


def test_catalogue_shows_formulas_and_weights(client, users):
    client.force_login(users.command)
    body = client.get("/assessment/indicators/").content.decode()
    assert "按期结案数 ÷ (应结案数 − 缓办数) × 100%" in body
    assert "网格员 40%" in body
    data = client.get("/api/v1/assessment/indicators").json()
    weights = {
        w["level"]: w["weight"]
        for i in data
        if i["code"] == "valid_report_rate"
        for w in i["weights"]
    }
    assert weights["worker"] == 40.0


def test_catalogue_refused_to_residents_and_auditor(client, users):
    for user in (users.resident, users.auditor):
        client.force_login(user)
        assert client.get("/assessment/indicators/").status_code == 403
        assert client.get("/api/v1/assessment/indicators").status_code == 403
